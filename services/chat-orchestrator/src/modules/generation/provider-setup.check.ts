import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';

/** Says at start, once, when no global provider is configured and what to set. */
@Injectable()
export class ProviderSetupCheck implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const providers = this.config.chat?.providers ?? [];
    if (providers.length > 0) {
      this.logger.info(
        {
          chain: providers.map((p) => ({
            provider: p.kind,
            baseUrl: p.baseUrl,
            model: p.model,
            key: p.apiKey !== null,
          })),
        },
        'Global LLM provider chain',
      );
      return;
    }
    this.logger.warn(
      'No global LLM provider is configured: chat answers 503 provider_not_configured for tenants without a key of ' +
        'their own. Set ANTHROPIC_API_KEY, or OPENAI_API_KEY and/or OPENAI_BASE_URL (any OpenAI-compatible server, ' +
        'e.g. Ollama), in the chat-orchestrator environment; or add a tenant key with PUT /api/v1/chat/providers/{kind}.',
    );
  }
}
