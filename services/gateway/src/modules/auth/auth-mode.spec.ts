import { describe, expect, it } from 'vitest';
import { loadConfig } from '@parley/config';
import { assertAuthMode } from './auth-mode';

describe('AUTH_REQUIRED=false', () => {
  const base = { REDIS_URL: 'redis://127.0.0.1:6379', KAFKA_BROKERS: '127.0.0.1:9092', AUTH_REQUIRED: 'false' };

  it('is allowed in self-hosted mode', () => {
    expect(() => assertAuthMode(loadConfig('gateway', { ...base, DEPLOYMENT_MODE: 'self-hosted' }))).not.toThrow();
  });

  it('is refused in cloud mode, naming both variables', () => {
    expect(() =>
      assertAuthMode(loadConfig('gateway', { ...base, DEPLOYMENT_MODE: 'cloud', NODE_ENV: 'test' })),
    ).toThrow(/AUTH_REQUIRED may be false only when DEPLOYMENT_MODE is self-hosted/);
  });
});
