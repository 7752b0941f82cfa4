import { z } from 'zod';
import { int } from './env-fields';

const optionalHttpUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((value) => /^https?:\/\/[^\s]+$/.test(value), 'must be an http(s) URL');
const secret = z.string().min(1).max(4096).optional();

/** Where product analytics go: nowhere (the default), PostHog or Mixpanel. */
export const ANALYTICS_PROVIDERS = ['none', 'posthog', 'mixpanel'] as const;
export type AnalyticsProviderName = (typeof ANALYTICS_PROVIDERS)[number];

/** Variables only the analytics service reads. */
export const analyticsShape = {
  /** Audit log entries older than this many days are removed by the retention pass. */
  AUDIT_RETENTION_DAYS: int(365, 1, 36_500),
  /** How often the retention pass runs over every tenant. */
  AUDIT_RETENTION_INTERVAL_MS: int(3_600_000, 1_000, 86_400_000),
  /** Most entries one audit export returns (CSV or JSON). */
  AUDIT_EXPORT_MAX_ROWS: int(10_000, 1, 100_000),
  ANALYTICS_PROVIDER: z.enum(ANALYTICS_PROVIDERS).default('none'),
  /**
   * Whether a tenant that never chose sends product events: `auto` (on in the cloud, off
   * self-hosted), `on` or `off` for every such tenant of the deployment.
   */
  ANALYTICS_CONSENT_DEFAULT: z.enum(['auto', 'on', 'off']).default('auto'),
  POSTHOG_API_KEY: secret,
  POSTHOG_HOST: optionalHttpUrl('https://us.i.posthog.com'),
  MIXPANEL_TOKEN: secret,
  MIXPANEL_HOST: optionalHttpUrl('https://api-js.mixpanel.com'),
  /** Events waiting to be forwarded; beyond it new events are dropped (and counted), never waited for. */
  ANALYTICS_QUEUE_MAX: int(10_000, 1, 1_000_000),
  /** Events per batch sent to the provider. */
  ANALYTICS_BATCH_SIZE: int(50, 1, 1_000),
  /** Longest wait before a partial batch is sent. */
  ANALYTICS_FLUSH_INTERVAL_MS: int(5_000, 10, 600_000),
  /** Attempts per batch before it is dropped (and counted). */
  ANALYTICS_MAX_ATTEMPTS: int(5, 1, 20),
};

export interface AnalyticsServiceConfig {
  audit: { retentionDays: number; retentionIntervalMs: number; exportMaxRows: number };
  forwarding: {
    provider: AnalyticsProviderName;
    posthog: { apiKey: string; host: string } | null;
    mixpanel: { token: string; host: string } | null;
    queueMax: number;
    batchSize: number;
    flushIntervalMs: number;
    maxAttempts: number;
    /** Whether a tenant that never chose sends events (ANALYTICS_CONSENT_DEFAULT; auto: on in the cloud, off self-hosted). */
    consentByDefault: boolean;
  };
}

type Env = Record<string, unknown>;

export function toAnalyticsConfig(e: Env): AnalyticsServiceConfig {
  const str = (k: string) => e[k] as string;
  const num = (k: string) => e[k] as number;
  return {
    audit: {
      retentionDays: num('AUDIT_RETENTION_DAYS'),
      retentionIntervalMs: num('AUDIT_RETENTION_INTERVAL_MS'),
      exportMaxRows: num('AUDIT_EXPORT_MAX_ROWS'),
    },
    forwarding: {
      provider: e.ANALYTICS_PROVIDER as AnalyticsProviderName,
      posthog: e.POSTHOG_API_KEY ? { apiKey: str('POSTHOG_API_KEY'), host: str('POSTHOG_HOST') } : null,
      mixpanel: e.MIXPANEL_TOKEN ? { token: str('MIXPANEL_TOKEN'), host: str('MIXPANEL_HOST') } : null,
      queueMax: num('ANALYTICS_QUEUE_MAX'),
      batchSize: num('ANALYTICS_BATCH_SIZE'),
      flushIntervalMs: num('ANALYTICS_FLUSH_INTERVAL_MS'),
      maxAttempts: num('ANALYTICS_MAX_ATTEMPTS'),
      consentByDefault:
        e.ANALYTICS_CONSENT_DEFAULT === 'auto' ? e.DEPLOYMENT_MODE === 'cloud' : e.ANALYTICS_CONSENT_DEFAULT === 'on',
    },
  };
}

/** A provider chosen without its key stops the service at start, naming the variable. */
export function refineAnalytics(env: Env, ctx: z.RefinementCtx): void {
  const needs: Partial<Record<AnalyticsProviderName, string>> = {
    posthog: 'POSTHOG_API_KEY',
    mixpanel: 'MIXPANEL_TOKEN',
  };
  const variable = needs[env.ANALYTICS_PROVIDER as AnalyticsProviderName];
  if (variable && !env[variable]) {
    ctx.addIssue({
      code: 'custom',
      path: [variable],
      message: `is required when ANALYTICS_PROVIDER is ${String(env.ANALYTICS_PROVIDER)}`,
    });
  }
}
