import { Test, type TestingModule } from '@nestjs/testing';
import { ObservabilityModule } from '@parley/observability';
import { infra, LlmSimulator, testConfig, uniqueSuffix } from '@parley/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderChain } from './provider-chain';
import { globalProviderTargets } from './provider-targets';
import { ProvidersModule } from './providers.module';

let sim: LlmSimulator;
let app: TestingModule;
let targets: ReturnType<typeof globalProviderTargets>;

beforeAll(async () => {
  sim = await LlmSimulator.start();
  const config = testConfig('chat-orchestrator', {
    databaseUrl: infra().DATABASE_URL,
    topicPrefix: `providers-${uniqueSuffix()}`,
    extra: {
      CHAT_PROVIDER_CHAIN: 'openai,anthropic',
      ANTHROPIC_BASE_URL: sim.anthropicBaseUrl,
      ANTHROPIC_API_KEY: 'sk-ant-module',
      ANTHROPIC_MODEL: 'claude-module',
      OPENAI_BASE_URL: sim.openaiBaseUrl,
      OPENAI_API_KEY: 'sk-module',
      CHAT_PROVIDER_MAX_RETRIES: '1',
      CHAT_PROVIDER_RETRY_BASE_MS: '7',
      CHAT_PROVIDER_RETRY_MAX_MS: '900',
      CHAT_PROVIDER_FIRST_TOKEN_TIMEOUT_MS: '4000',
      CHAT_PROVIDER_IDLE_TIMEOUT_MS: '3000',
    },
  });
  app = await Test.createTestingModule({ imports: [ObservabilityModule.forRoot(config), ProvidersModule] }).compile();
  await app.init();
  targets = globalProviderTargets(config.chat!);
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
});

describe('ProvidersModule', () => {
  it('builds the chain from the chat configuration', () => {
    expect(app.get(ProviderChain).options).toEqual({
      maxRetries: 1,
      baseMs: 7,
      maxMs: 900,
      firstTokenTimeoutMs: 4000,
      idleTimeoutMs: 3000,
    });
    expect(targets).toEqual([
      {
        kind: 'openai',
        baseUrl: sim.openaiBaseUrl,
        apiKey: 'sk-module',
        model: 'gpt-4.1-mini',
        label: 'global:openai',
      },
      {
        kind: 'anthropic',
        baseUrl: sim.anthropicBaseUrl,
        apiKey: 'sk-ant-module',
        model: 'claude-module',
        label: 'global:anthropic',
      },
    ]);
  });

  it('streams through the configured global chain, falling back in its order', async () => {
    sim.when({ promptIncludes: 'module-fallback', protocol: 'openai' }, { status: 401 });
    const texts: string[] = [];
    let served = '';
    for await (const event of app
      .get(ProviderChain)
      .stream(
        targets,
        { system: null, messages: [{ role: 'user', content: 'module-fallback' }], maxTokens: 50 },
        new AbortController().signal,
      )) {
      if (event.type === 'attempt') served = event.target.label;
      if (event.type === 'delta') texts.push(event.text);
    }
    expect(texts.join('')).toBe('Echo: module-fallback');
    expect(served).toBe('global:anthropic');
  });
});
