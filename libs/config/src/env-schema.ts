import { z } from 'zod';
import { isIP } from 'node:net';
import { bool, int, url, urlWithDefault } from './env-fields';

const optionalBool = () =>
  z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true' || value === '1'));

function isAllowlistEntry(entry: string): boolean {
  const [address = '', bits, extra] = entry.split('/');
  if (bits === undefined) return /^[a-z0-9.-]{1,253}$/i.test(entry) || isIP(entry) !== 0;
  const max = isIP(address) === 4 ? 32 : isIP(address) === 6 ? 128 : -1;
  return extra === undefined && /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}
import { billingShape, refineBilling } from './billing-env';
import { analyticsShape, refineAnalytics } from './analytics-env';
import { chatShape } from './chat-env';
import { gatewayShape } from './gateway-env';
import { oauthShape } from './oauth-env';
import { sttShape } from './stt-env';
import { DATABASE_SERVICES, DEFAULT_PORTS, type ServiceName } from './service-name';

const brokers = z
  .string({ message: 'is required (host:port[,host:port])' })
  .min(1, 'is required (host:port[,host:port])')
  .refine(
    (value) => value.split(',').every((b) => /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(b.trim())),
    'must be a comma-separated list of host:port',
  );

/** Variables every service reads. */
const baseShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  DEPLOYMENT_MODE: z.enum(['self-hosted', 'cloud']).default('self-hosted'),
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://host:6379'),
  KAFKA_BROKERS: brokers,
  KAFKA_SSL: bool(false),
  KAFKA_SASL_MECHANISM: z.enum(['none', 'plain', 'scram-sha-256', 'scram-sha-512']).default('none'),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'may only contain letters, digits, ".", "_" and "-"')
    .default(''),
  KAFKA_TOPIC_PARTITIONS: int(3, 1, 1000),
  KAFKA_TOPIC_REPLICATION_FACTOR: int(1, 1, 10),
  KAFKA_RETRY_MAX_MS: int(1000, 100, 30_000),
  KAFKA_RETRIES: int(120, 5, 10_000),
  BUS_MAX_RETRIES: int(3, 0, 20),
  BUS_RETRY_BACKOFF_MS: int(100, 0, 60_000),
  BUS_REQUEST_TIMEOUT_MS: int(5000, 50, 300_000),
  /** kafkajs heartbeats only between fetches: at most a third of the 10 s session (KafkaBusServer). */
  BUS_FETCH_MAX_WAIT_MS: int(3000, 1, 3000),
  /** The reply consumer's session is 6 s (BusRequester): at most a third of it. */
  BUS_REPLY_FETCH_MAX_WAIT_MS: int(2000, 1, 2000),
  BUS_READINESS_CACHE_MS: int(2000, 0, 60_000),
  BUS_CONSUMER_STALE_MS: int(10_000, 1000, 120_000),
  OUTBOX_POLL_MS: int(30_000, 100, 600_000),
  BUS_LAG_SAMPLE_MS: int(15_000, 1000, 600_000),
  /** How often the event-loop delay metric samples (a timer per sample: ten a second at 100 ms). */
  METRICS_EVENT_LOOP_RESOLUTION_MS: int(100, 10, 1000),
  OUTBOX_RETENTION_MS: int(7 * 24 * 60 * 60 * 1000, 60_000, 90 * 24 * 60 * 60 * 1000),
  HTTP_BODY_LIMIT_BYTES: int(1_048_576, 1024, 100 * 1_048_576),
  HTTP_JSON_MAX_DEPTH: int(32, 2, 512),
  HTTP_JSON_MAX_ENTRIES: int(10_000, 10, 1_000_000),
  SHUTDOWN_GRACE_MS: int(10_000, 0, 300_000),
  /** Tracing: off unless an OTLP/HTTP endpoint is set and the traces exporter is not `none` (see tracingOf). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .refine((value) => /^https?:\/\/[^/\s]+(\/\S*)?$/.test(value), 'must be an http(s) URL like http://collector:4318')
    .optional(),
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none'], { message: 'must be otlp or none' }).default('otlp'),
  /** Head sampling: the share of new traces kept (parent-based: a sampled caller's decision is followed). */
  OTEL_TRACES_SAMPLER_ARG: z.coerce
    .number({ message: 'must be a number' })
    .min(0, 'must be >= 0')
    .max(1, 'must be <= 1')
    .default(1),
  /** Tenant-supplied URLs (egress policy); the two flags default by DEPLOYMENT_MODE (see loadConfig). */
  EGRESS_ALLOW_HTTP: optionalBool(),
  EGRESS_ALLOW_PRIVATE: optionalBool(),
  EGRESS_ALLOWLIST: z
    .string()
    .default('')
    .refine(
      (value) => value.split(',').every((entry) => entry.trim() === '' || isAllowlistEntry(entry.trim())),
      'must be a comma-separated list of host names and CIDR ranges (10.0.0.0/8, fd00::/8)',
    ),
  /** Signs the per-request principal token and service credentials (every service; see refineInternalAuth). */
  INTERNAL_AUTH_SECRET: z
    .string()
    .refine(
      (value) => /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32,
      'must be base64 of 32 bytes (openssl rand -base64 32)',
    )
    .optional(),
};

const databaseShape = {
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://user:pass@host:5432/db'),
  DATABASE_POOL_MAX: int(10, 1, 500),
  DATABASE_SSL: bool(false),
};

const tenantShape = {
  MIGRATE_ON_START: bool(true),
  DEFAULT_TENANT_SLUG: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a lowercase slug')
    .default('default'),
  DEFAULT_TENANT_NAME: z.string().min(1).max(200).default('Default'),
  TENANT_DELETION_GRACE_SECONDS: int(2_592_000, 0, 315_360_000),
  TENANT_PURGE_INTERVAL_MS: int(300_000, 0, 86_400_000),
  TENANT_PURGE_BATCH_SIZE: int(10, 1, 1000),
  TENANT_SIGNUPS_RETENTION_MS: int(7 * 24 * 60 * 60 * 1000, 60_000, 90 * 24 * 60 * 60 * 1000),
  TENANT_SETTING_MAX_BYTES: int(16_384, 16, 1_048_576),
};

/** Plan limits (tenant service), written into `control.plans` at start. Defaults: the product brief. */
const limit = (fallback: number, max = 1_000_000_000) => int(fallback, 0, max);
const TOKENS_MAX = 1_000_000_000_000;
const plansShape = {
  PLAN_FREE_CHAT_REQUESTS_PER_HOUR: limit(10),
  PLAN_FREE_TOKENS_PER_MONTH: limit(100_000, TOKENS_MAX),
  PLAN_FREE_STT_MINUTES_PER_MONTH: limit(30),
  PLAN_FREE_STT_MAX_AUDIO_SECONDS: limit(120),
  PLAN_FREE_MEMBERS: limit(3),
  PLAN_FREE_API_KEYS: limit(2),
  PLAN_PRO_CHAT_REQUESTS_PER_HOUR: limit(100),
  PLAN_PRO_TOKENS_PER_MONTH: limit(5_000_000, TOKENS_MAX),
  PLAN_PRO_STT_MINUTES_PER_MONTH: limit(600),
  PLAN_PRO_STT_MAX_AUDIO_SECONDS: limit(600),
  PLAN_PRO_MEMBERS: limit(50),
  PLAN_PRO_API_KEYS: limit(20),
  PLAN_ENTERPRISE_CHAT_REQUESTS_PER_HOUR: limit(1000),
  PLAN_ENTERPRISE_TOKENS_PER_MONTH: limit(100_000_000, TOKENS_MAX),
  PLAN_ENTERPRISE_STT_MINUTES_PER_MONTH: limit(10_000),
  PLAN_ENTERPRISE_STT_MAX_AUDIO_SECONDS: limit(1800),
  PLAN_ENTERPRISE_MEMBERS: limit(1000),
  PLAN_ENTERPRISE_API_KEYS: limit(200),
};

const FEATURE_VARIABLE = /^FEATURE_[A-Z][A-Z0-9_]{0,62}$/;

/**
 * Global feature flags (every service): every `FEATURE_<NAME>=true|false` becomes flag `<name>`
 * (lower case). A malformed name or value is a problem that names the variable.
 */
export function featureFlagsFromEnv(env: Record<string, string | undefined>): {
  flags: Record<string, boolean>;
  problems: { variable: string; message: string }[];
} {
  const flags: Record<string, boolean> = {};
  const problems: { variable: string; message: string }[] = [];
  for (const [variable, value] of Object.entries(env)) {
    if (!variable.startsWith('FEATURE_') || value === undefined) continue;
    if (!FEATURE_VARIABLE.test(variable)) {
      problems.push({ variable, message: 'must be named FEATURE_<NAME> (A-Z, 0-9, _; up to 63 characters)' });
    } else if (!['true', 'false', '1', '0'].includes(value)) {
      problems.push({ variable, message: 'must be true or false' });
    } else {
      flags[variable.slice('FEATURE_'.length).toLowerCase()] = value === 'true' || value === '1';
    }
  }
  return { flags, problems };
}

/** base64 of exactly 32 bytes, as `openssl rand -base64 32` prints it. */
const base64Key32 = z
  .string()
  .refine(
    (value) => /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32,
    'must be base64 of 32 bytes (openssl rand -base64 32)',
  );

/** Access-token issuer and audience: auth signs tokens with them, the gateway checks them. */
const jwtShape = {
  JWT_ISSUER: z.string().min(1).max(200).default('parley'),
  JWT_AUDIENCE: z.string().min(1).max(200).default('parley-api'),
};

/** Variables only the auth service reads. */
const authShape = {
  ACCESS_TOKEN_TTL_SECONDS: int(900, 30, 86_400),
  REFRESH_TOKEN_TTL_SECONDS: int(2_592_000, 300, 31_536_000),
  AUTH_KEY_ENCRYPTION_KEY: base64Key32.optional(),
  PUBLIC_URL: urlWithDefault(['http:', 'https:'], 'http://localhost:8000', 'https://app.example.com'),
  TRUST_PROXY_HOPS: int(0, 0, 10),
  SMTP_URL: urlWithDefault(['smtp:', 'smtps:'], 'smtp://127.0.0.1:2525', 'smtp://user:pass@mail.example.com:587'),
  MAIL_FROM: z
    .string()
    .max(320)
    .default('Parley <no-reply@localhost>')
    .refine((value) => /^[^\r\n]*@[^\r\n]*$/.test(value), 'must be an address like Parley <no-reply@example.com>'),
  MAIL_SEND_ATTEMPTS: int(3, 1, 10),
  MAIL_TIMEOUT_MS: int(10_000, 100, 120_000),
  MAIL_RETRY_INTERVAL_MS: int(30_000, 100, 3_600_000),
  MAIL_RETRY_FOR_SECONDS: int(86_400, 60, 604_800),
  INVITE_TTL_SECONDS: int(604_800, 60, 2_592_000),
  PASSWORD_RESET_TTL_SECONDS: int(3600, 60, 86_400),
  AUTH_LOCKOUT_THRESHOLD: int(5, 1, 1000),
  AUTH_LOCKOUT_IP_THRESHOLD: int(20, 1, 100_000),
  AUTH_LOCKOUT_WINDOW_SECONDS: int(900, 1, 86_400),
  AUTH_LOCKOUT_BASE_DELAY_SECONDS: int(30, 1, 86_400),
  API_KEY_VERIFY_FAILURE_LIMIT: int(600, 1, 1_000_000),
  API_KEY_VERIFY_WINDOW_SECONDS: int(60, 1, 3600),
  DNS_RESOLVERS: z
    .string()
    .max(500)
    .default('')
    .refine(
      (value) =>
        value === '' ||
        value.split(',').every((entry) => /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\])(:\d{1,5})?$/.test(entry.trim())),
      'must be a comma-separated list of IP addresses with optional ports (10.0.0.2, 127.0.0.1:5353, [::1]:53)',
    ),
  DNS_TIMEOUT_MS: int(3000, 100, 30_000),
  DOMAIN_MAIL_TTL_SECONDS: int(86_400, 60, 604_800),
  SSO_METADATA_REFRESH_INTERVAL_MS: int(3_600_000, 0, 86_400_000),
  SSO_METADATA_MAX_AGE_SECONDS: int(86_400, 1, 2_592_000),
};

const JWT_SERVICES: readonly ServiceName[] = ['auth', 'gateway'];

function withPort(service: ServiceName) {
  return { PORT: int(DEFAULT_PORTS[service], 0, 65_535) }; // 0: any free port (tests)
}

/** Every variable a service reads: the shared ones plus its own sections. */
function shapeOf(service: ServiceName) {
  return {
    ...baseShape,
    ...withPort(service),
    ...(DATABASE_SERVICES.includes(service) ? databaseShape : {}),
    ...(service === 'tenant' ? { ...tenantShape, ...plansShape } : {}),
    ...(service === 'gateway' ? gatewayShape : {}),
    ...(JWT_SERVICES.includes(service) ? jwtShape : {}),
    ...(service === 'auth' ? { ...authShape, ...oauthShape } : {}),
    ...(service === 'chat-orchestrator' ? chatShape : {}),
    ...(service === 'billing' ? billingShape : {}),
    ...(service === 'analytics' ? analyticsShape : {}),
    ...(service === 'stt' ? sttShape : {}),
  };
}

/** An idle consumer shows life once per fetch: staleness must allow two fetches without data. */
function refineBus(env: { BUS_FETCH_MAX_WAIT_MS: number; BUS_CONSUMER_STALE_MS: number }, ctx: z.RefinementCtx): void {
  if (env.BUS_CONSUMER_STALE_MS < 2 * env.BUS_FETCH_MAX_WAIT_MS) {
    ctx.addIssue({
      code: 'custom',
      path: ['BUS_CONSUMER_STALE_MS'],
      message: `must be at least twice BUS_FETCH_MAX_WAIT_MS (${2 * env.BUS_FETCH_MAX_WAIT_MS}): an idle consumer shows life once per fetch`,
    });
  }
}

function buildSchema(service: ServiceName) {
  return z.object(shapeOf(service)).superRefine((env, ctx) => {
    if (env.KAFKA_SASL_MECHANISM !== 'none') {
      for (const key of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
        if (!env[key]) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `is required when KAFKA_SASL_MECHANISM is ${env.KAFKA_SASL_MECHANISM}`,
          });
        }
      }
    }
    refineInternalAuth(env, ctx);
    refineBus(env, ctx);
    if (service === 'auth') refineAuth(env, ctx);
    if (service === 'billing') refineBilling(env, ctx);
    if (service === 'analytics') refineAnalytics(env, ctx);
    if (service === 'chat-orchestrator' && env.NODE_ENV === 'production' && env.CHAT_KEY_ENCRYPTION_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['CHAT_KEY_ENCRYPTION_KEY'],
        message: 'is required when NODE_ENV is production (base64 of 32 bytes: openssl rand -base64 32)',
      });
    }
    if (service === 'stt' && env.NODE_ENV === 'production' && env.STT_KEY_ENCRYPTION_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['STT_KEY_ENCRYPTION_KEY'],
        message: 'is required when NODE_ENV is production (base64 of 32 bytes: openssl rand -base64 32)',
      });
    }
  });
}

/**
 * The internal-auth secret is required in cloud mode (outside tests) and in production: without it
 * every service would accept principals signed with the public development key.
 */
function refineInternalAuth(env: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const required = env.NODE_ENV === 'production' || (env.DEPLOYMENT_MODE === 'cloud' && env.NODE_ENV !== 'test');
  if (required && env.INTERNAL_AUTH_SECRET === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['INTERNAL_AUTH_SECRET'],
      message:
        'is required in cloud mode and when NODE_ENV is production (base64 of 32 bytes: openssl rand -base64 32)',
    });
  }
}

/**
 * The key-encryption key is required in production; refresh tokens outlive access tokens; the first
 * lockout delay fits in the lockout window.
 */
function refineAuth(env: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (env.NODE_ENV === 'production' && env.AUTH_KEY_ENCRYPTION_KEY === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_KEY_ENCRYPTION_KEY'],
      message: 'is required when NODE_ENV is production (base64 of 32 bytes: openssl rand -base64 32)',
    });
  }
  if (Number(env.REFRESH_TOKEN_TTL_SECONDS) <= Number(env.ACCESS_TOKEN_TTL_SECONDS)) {
    ctx.addIssue({
      code: 'custom',
      path: ['REFRESH_TOKEN_TTL_SECONDS'],
      message: 'must be longer than ACCESS_TOKEN_TTL_SECONDS',
    });
  }
  if (Number(env.AUTH_LOCKOUT_BASE_DELAY_SECONDS) > Number(env.AUTH_LOCKOUT_WINDOW_SECONDS)) {
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_LOCKOUT_BASE_DELAY_SECONDS'],
      message: 'must not be longer than AUTH_LOCKOUT_WINDOW_SECONDS',
    });
  }
}

export type ServiceEnvSchema = ReturnType<typeof buildSchema>;

/** The zod schema of one service's environment; `Object.keys(serviceEnvShape(name))` lists its variables. */
export function serviceEnvSchema(service: ServiceName): ServiceEnvSchema {
  return buildSchema(service);
}

export function serviceEnvShape(service: ServiceName): Record<string, z.ZodType> {
  return shapeOf(service);
}

/** Variables a service refuses to start without. */
export function requiredEnvVars(service: ServiceName): string[] {
  return Object.entries(serviceEnvShape(service))
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([key]) => key);
}
