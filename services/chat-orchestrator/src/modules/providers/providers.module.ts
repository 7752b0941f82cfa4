import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { GenAiMetrics, ServiceMetrics } from '@parley/observability';
import { AnthropicProvider } from './anthropic.provider';
import { OpenAiProvider } from './openai.provider';
import { ProviderChain, type ProviderChainOptions } from './provider-chain';
import { ProviderHttp } from './provider-http';
import { ProviderRegistry } from './provider-registry';

export function chainOptions(config: AppConfig): ProviderChainOptions {
  if (!config.chat) throw new Error('ProvidersModule needs the chat configuration (chat-orchestrator only)');
  const { retry, firstTokenTimeoutMs, idleTimeoutMs } = config.chat;
  return { maxRetries: retry.maxRetries, baseMs: retry.baseMs, maxMs: retry.maxMs, firstTokenTimeoutMs, idleTimeoutMs };
}

/**
 * LLM provider adapters (Anthropic Messages, OpenAI Chat Completions) over one keep-alive HTTP
 * transport, the registry of them by kind, and the retrying, falling-back ProviderChain configured
 * from `CHAT_PROVIDER_*`, with a gen_ai span and metrics per model call (gen-ai-telemetry.ts).
 */
@Module({
  providers: [
    ProviderHttp,
    AnthropicProvider,
    OpenAiProvider,
    ProviderRegistry,
    {
      provide: GenAiMetrics,
      inject: [ServiceMetrics],
      useFactory: (metrics: ServiceMetrics) => new GenAiMetrics(metrics),
    },
    {
      provide: ProviderChain,
      inject: [ProviderRegistry, APP_CONFIG, GenAiMetrics],
      useFactory: (registry: ProviderRegistry, config: AppConfig, metrics: GenAiMetrics) =>
        new ProviderChain(registry, chainOptions(config), metrics),
    },
  ],
  exports: [ProviderRegistry, ProviderChain],
})
export class ProvidersModule {}
