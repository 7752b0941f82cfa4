import { describe, expect, it } from 'vitest';
import { ConfigValidationError, loadConfig } from './load-config';
import { requiredEnvVars, serviceEnvShape } from './env-schema';

const base = { REDIS_URL: 'redis://127.0.0.1:6379', KAFKA_BROKERS: '127.0.0.1:9092' };
const db = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' };

describe('loadConfig', () => {
  it('builds a typed config with defaults', () => {
    const config = loadConfig('tenant', { ...base, ...db });
    expect(config.port).toBe(8002);
    expect(config.deploymentMode).toBe('self-hosted');
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.database).toEqual({ url: db.DATABASE_URL, poolMax: 10, ssl: false });
    expect(config.tenant).toEqual({
      migrateOnStart: true,
      defaultTenantSlug: 'default',
      defaultTenantName: 'Default',
      deletionGraceSeconds: 2_592_000,
      purgeIntervalMs: 300_000,
      purgeBatchSize: 10,
      signupsRetentionMs: 604_800_000,
      settingMaxBytes: 16_384,
    });
  });

  it('keeps idle consumers and the outbox relay slow by default, within what their sessions and readiness allow', () => {
    const { bus } = loadConfig('tenant', { ...base, ...db });
    expect(bus).toMatchObject({
      fetchMaxWaitMs: 3000,
      replyFetchMaxWaitMs: 2000,
      consumerStaleMs: 10_000,
      outboxPollMs: 30_000,
    });
    // kafkajs heartbeats only between fetches: a longer idle fetch would starve the session.
    expect(() => loadConfig('tenant', { ...base, ...db, BUS_FETCH_MAX_WAIT_MS: '3001' })).toThrow(
      /BUS_FETCH_MAX_WAIT_MS/,
    );
    expect(() => loadConfig('gateway', { ...base, BUS_REPLY_FETCH_MAX_WAIT_MS: '2001' })).toThrow(
      /BUS_REPLY_FETCH_MAX_WAIT_MS/,
    );
    // An idle consumer shows life once per fetch: readiness must allow two.
    expect(() =>
      loadConfig('gateway', { ...base, BUS_FETCH_MAX_WAIT_MS: '3000', BUS_CONSUMER_STALE_MS: '5999' }),
    ).toThrow(/BUS_CONSUMER_STALE_MS must be at least twice BUS_FETCH_MAX_WAIT_MS/);
    expect(
      loadConfig('gateway', { ...base, BUS_FETCH_MAX_WAIT_MS: '100', BUS_CONSUMER_STALE_MS: '1000' }).bus,
    ).toMatchObject({ fetchMaxWaitMs: 100, consumerStaleMs: 1000 });
  });

  it('gives the gateway no database section', () => {
    expect(loadConfig('gateway', base).database).toBeNull();
    expect(Object.keys(serviceEnvShape('gateway'))).not.toContain('DATABASE_URL');
  });

  it('names every missing or bad variable', () => {
    let error: unknown;
    try {
      loadConfig('analytics', { REDIS_URL: 'http://nope', PORT: 'eighty', DEPLOYMENT_MODE: 'moon' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const message = (error as Error).message;
    for (const variable of ['REDIS_URL', 'KAFKA_BROKERS', 'DATABASE_URL', 'PORT', 'DEPLOYMENT_MODE']) {
      expect(message).toContain(variable);
    }
  });

  it('requires SASL credentials when a mechanism is chosen', () => {
    expect(() => loadConfig('gateway', { ...base, KAFKA_SASL_MECHANISM: 'plain' })).toThrow(/KAFKA_SASL_PASSWORD/);
  });

  it('requires INTERNAL_AUTH_SECRET in cloud mode and in production, and falls back to the development key elsewhere', () => {
    expect(() => loadConfig('gateway', { ...base, DEPLOYMENT_MODE: 'cloud' })).toThrow(/INTERNAL_AUTH_SECRET/);
    expect(() => loadConfig('gateway', { ...base, NODE_ENV: 'production' })).toThrow(/INTERNAL_AUTH_SECRET/);
    expect(() => loadConfig('gateway', { ...base, INTERNAL_AUTH_SECRET: 'short' })).toThrow(/INTERNAL_AUTH_SECRET/);
    expect(
      loadConfig('gateway', { ...base, DEPLOYMENT_MODE: 'cloud', NODE_ENV: 'test' }).internalAuth.development,
    ).toBe(true);
    const secret = Buffer.alloc(32, 3).toString('base64');
    const configured = loadConfig('gateway', { ...base, DEPLOYMENT_MODE: 'cloud', INTERNAL_AUTH_SECRET: secret });
    expect(configured.internalAuth).toEqual({ secret: Buffer.alloc(32, 3), development: false });
  });

  it('lists required variables per service', () => {
    expect(requiredEnvVars('gateway').sort()).toEqual(['KAFKA_BROKERS', 'REDIS_URL']);
    expect(requiredEnvVars('billing').sort()).toEqual(['DATABASE_URL', 'KAFKA_BROKERS', 'REDIS_URL']);
  });

  describe('tracing', () => {
    it('is off without an OTLP endpoint, and off with OTEL_TRACES_EXPORTER=none', () => {
      expect(loadConfig('gateway', base).tracing).toBeNull();
      const none = { ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' };
      expect(loadConfig('gateway', none).tracing).toBeNull();
    });

    it('exports to <endpoint>/v1/traces as parley-<service>, keeping every trace by default', () => {
      const config = loadConfig('chat-orchestrator', {
        ...base,
        ...db,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318/',
      });
      expect(config.tracing).toEqual({
        serviceName: 'parley-chat-orchestrator',
        tracesUrl: 'http://otel:4318/v1/traces',
        sampleRatio: 1,
      });
    });

    it('takes a sampling ratio between 0 and 1 and refuses anything else, naming the variable', () => {
      const on = { ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318' };
      expect(loadConfig('gateway', { ...on, OTEL_TRACES_SAMPLER_ARG: '0.25' }).tracing?.sampleRatio).toBe(0.25);
      for (const bad of ['1.5', '-0.1', 'half']) {
        expect(() => loadConfig('gateway', { ...on, OTEL_TRACES_SAMPLER_ARG: bad })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
      }
      expect(() => loadConfig('gateway', { ...on, OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/OTEL_TRACES_EXPORTER/);
      expect(() => loadConfig('gateway', { ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'otel:4318' })).toThrow(
        /OTEL_EXPORTER_OTLP_ENDPOINT/,
      );
    });
  });
  describe('the strict budget cap', () => {
    it("keeps a running answer's reservation CHAT_GENERATION_MAX_MS + 60 s unless set, and refuses a bad value by name", () => {
      const chat = (env: Record<string, string>) => loadConfig('chat-orchestrator', { ...base, ...db, ...env }).chat;
      expect(chat({})?.budgetReservationTtlMs).toBe(660_000);
      expect(chat({ CHAT_GENERATION_MAX_MS: '120000' })?.budgetReservationTtlMs).toBe(180_000);
      expect(chat({ CHAT_BUDGET_RESERVATION_TTL_MS: '1500' })?.budgetReservationTtlMs).toBe(1500);
      for (const bad of ['999', '7200001', 'soon']) {
        expect(() => chat({ CHAT_BUDGET_RESERVATION_TTL_MS: bad })).toThrow(/CHAT_BUDGET_RESERVATION_TTL_MS/);
      }
    });
  });
  describe('the history cache', () => {
    it('defaults to 10,000 conversations and 64 MiB, takes 0 (off), and refuses a bad value by name', () => {
      const chat = (env: Record<string, string>) => loadConfig('chat-orchestrator', { ...base, ...db, ...env }).chat;
      expect(chat({})?.historyCache).toEqual({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 });
      expect(chat({ CHAT_HISTORY_CACHE_ENTRIES: '0', CHAT_HISTORY_CACHE_BYTES: '0' })?.historyCache).toEqual({
        maxEntries: 0,
        maxBytes: 0,
      });
      for (const bad of ['-1', '1000001', '2.5', 'many']) {
        expect(() => chat({ CHAT_HISTORY_CACHE_ENTRIES: bad })).toThrow(/CHAT_HISTORY_CACHE_ENTRIES/);
      }
      for (const bad of ['-1', String(8 * 1024 * 1024 * 1024 + 1), 'lots']) {
        expect(() => chat({ CHAT_HISTORY_CACHE_BYTES: bad })).toThrow(/CHAT_HISTORY_CACHE_BYTES/);
      }
    });
  });
});
