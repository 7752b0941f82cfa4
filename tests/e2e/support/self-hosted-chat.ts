import { PlatformProcesses } from '@parley/testing';

/**
 * The self-hosted platform with login switched off (tenant, chat-orchestrator, gateway as
 * processes), chat answered by one OpenAI-compatible provider: `openai` are the orchestrator's
 * `OPENAI_*` variables (base URL, model, and a key or the local-demo flag).
 */
export function startSelfHostedChat(openai: Record<string, string>): Promise<PlatformProcesses> {
  return PlatformProcesses.start({
    services: ['tenant', 'chat-orchestrator', 'gateway'],
    env: { DEPLOYMENT_MODE: 'self-hosted' },
    serviceEnv: {
      'chat-orchestrator': { ...openai, CHAT_PROVIDER_CHAIN: 'openai' },
      gateway: {
        AUTH_REQUIRED: 'false',
      },
    },
  });
}
