import type { ChatConfig } from '@parley/config';
import type { ProviderTarget } from './llm-provider';

/** The global chain (`CHAT_PROVIDER_CHAIN`) as targets, labelled `global:<kind>`. */
export function globalProviderTargets(chat: ChatConfig): ProviderTarget[] {
  return chat.providers.map((p) => ({
    kind: p.kind,
    baseUrl: p.baseUrl,
    ...(p.apiKey ? { apiKey: p.apiKey } : {}),
    model: p.model,
    label: `global:${p.kind}`,
  }));
}
