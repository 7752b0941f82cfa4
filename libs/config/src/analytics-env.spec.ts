import { describe, expect, it } from 'vitest';
import { ConfigValidationError, loadConfig } from './load-config';

const env = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  KAFKA_BROKERS: '127.0.0.1:9092',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
};

describe('the analytics service configuration', () => {
  it('forwards nothing by default, and self-hosted tenants are off until they consent', () => {
    const config = loadConfig('analytics', env).analytics;
    expect(config?.forwarding).toMatchObject({ provider: 'none', consentByDefault: false, queueMax: 10_000 });
    expect(config?.audit).toEqual({ retentionDays: 365, retentionIntervalMs: 3_600_000, exportMaxRows: 10_000 });
  });

  it('is on by default in the cloud, once a provider and its key are set', () => {
    const config = loadConfig('analytics', {
      ...env,
      DEPLOYMENT_MODE: 'cloud',
      INTERNAL_AUTH_SECRET: Buffer.alloc(32, 7).toString('base64'),
      ANALYTICS_PROVIDER: 'posthog',
      POSTHOG_API_KEY: 'phc_1',
    }).analytics?.forwarding;
    expect(config).toMatchObject({ provider: 'posthog', posthog: { apiKey: 'phc_1' }, consentByDefault: true });
  });

  it('lets the operator choose the default consent for tenants that never chose (ANALYTICS_CONSENT_DEFAULT)', () => {
    const cloud = { ...env, DEPLOYMENT_MODE: 'cloud', INTERNAL_AUTH_SECRET: Buffer.alloc(32, 7).toString('base64') };
    const consent = (extra: Record<string, string>) =>
      loadConfig('analytics', { ...extra, ANALYTICS_PROVIDER: 'mixpanel', MIXPANEL_TOKEN: 'mp' }).analytics?.forwarding
        .consentByDefault;
    expect(consent({ ...cloud, ANALYTICS_CONSENT_DEFAULT: 'off' })).toBe(false);
    expect(consent({ ...env, ANALYTICS_CONSENT_DEFAULT: 'on' })).toBe(true);
    expect(consent({ ...cloud, ANALYTICS_CONSENT_DEFAULT: 'auto' })).toBe(true);
    expect(() => consent({ ...env, ANALYTICS_CONSENT_DEFAULT: 'yes' })).toThrow(/ANALYTICS_CONSENT_DEFAULT/);
  });

  it.each([
    ['posthog', 'POSTHOG_API_KEY'],
    ['mixpanel', 'MIXPANEL_TOKEN'],
  ])('refuses ANALYTICS_PROVIDER=%s without %s, naming it', (provider, variable) => {
    expect(() => loadConfig('analytics', { ...env, ANALYTICS_PROVIDER: provider })).toThrow(ConfigValidationError);
    expect(() => loadConfig('analytics', { ...env, ANALYTICS_PROVIDER: provider })).toThrow(new RegExp(variable));
  });

  it('refuses an unknown provider and a retention of 0 days', () => {
    expect(() => loadConfig('analytics', { ...env, ANALYTICS_PROVIDER: 'segment' })).toThrow(/ANALYTICS_PROVIDER/);
    expect(() => loadConfig('analytics', { ...env, AUDIT_RETENTION_DAYS: '0' })).toThrow(/AUDIT_RETENTION_DAYS/);
  });

  it('gives other services no analytics section', () => {
    expect(loadConfig('tenant', env).analytics).toBeNull();
  });
});
