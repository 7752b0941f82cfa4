import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppConfig, AuthServiceConfig, JwtConfig, PlanId, PlansConfig } from './app-config';
import { featureFlagsFromEnv, serviceEnvSchema, serviceEnvShape } from './env-schema';
import { toBillingConfig } from './billing-env';
import { toAnalyticsConfig } from './analytics-env';
import { toChatConfig } from './chat-env';
import { toGatewayConfig } from './gateway-env';
import { toSocialProviders } from './oauth-env';
import { toSttConfig } from './stt-env';
import type { ServiceName } from './service-name';

export class ConfigValidationError extends Error {
  constructor(
    readonly service: ServiceName,
    readonly problems: { variable: string; message: string }[],
  ) {
    super(
      `Invalid configuration for service "${service}":\n` +
        problems.map((p) => `  - ${p.variable} ${p.message}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}

/**
 * Reads and validates a service's environment once, at boot. A missing or bad variable throws a
 * ConfigValidationError whose message names each offending variable.
 */
export function loadConfig(service: ServiceName, env: Record<string, string | undefined>): AppConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = serviceEnvSchema(service).safeParse(cleaned);
  // Every service reads the global flags (FeatureFlagsReader in @parley/tenancy layers the tenant's overrides on top).
  const features = featureFlagsFromEnv(cleaned);
  const social =
    parsed.success && service === 'auth' ? toSocialProviders(parsed.data) : { providers: [], problems: [] };
  if (!parsed.success || features.problems.length || social.problems.length) {
    throw new ConfigValidationError(service, [
      ...(parsed.error?.issues ?? []).map((issue) => ({
        variable: String(issue.path[0] ?? '(env)'),
        message: issue.message,
      })),
      ...features.problems,
      ...social.problems,
    ]);
  }
  const e = parsed.data as Record<string, unknown> & typeof parsed.data;
  const str = (key: string) => e[key] as string;
  const num = (key: string) => e[key] as number;
  const flag = (key: string) => e[key] as boolean;
  const jwt = 'JWT_ISSUER' in e ? { issuer: str('JWT_ISSUER'), audience: str('JWT_AUDIENCE') } : null;
  const instanceId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;

  return {
    service,
    instanceId,
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    host: e.HOST,
    port: e.PORT,
    deploymentMode: e.DEPLOYMENT_MODE,
    httpBodyLimitBytes: e.HTTP_BODY_LIMIT_BYTES,
    httpJson: { maxDepth: e.HTTP_JSON_MAX_DEPTH, maxEntries: e.HTTP_JSON_MAX_ENTRIES },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    internalAuth: internalAuthOf(e.INTERNAL_AUTH_SECRET),
    egress: {
      // Self-hosted: the operator's own network (Ollama on the LAN) by default; cloud: public https only.
      allowHttp: e.EGRESS_ALLOW_HTTP ?? e.DEPLOYMENT_MODE === 'self-hosted',
      allowPrivate: e.EGRESS_ALLOW_PRIVATE ?? e.DEPLOYMENT_MODE === 'self-hosted',
      allowlist: e.EGRESS_ALLOWLIST.split(',')
        .map((entry) => entry.trim().toLowerCase())
        .filter(Boolean),
    },
    metrics: { eventLoopResolutionMs: e.METRICS_EVENT_LOOP_RESOLUTION_MS },
    tracing:
      e.OTEL_EXPORTER_OTLP_ENDPOINT && e.OTEL_TRACES_EXPORTER === 'otlp'
        ? {
            serviceName: `parley-${service}`,
            tracesUrl: `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`,
            sampleRatio: e.OTEL_TRACES_SAMPLER_ARG,
          }
        : null,
    redis: { url: e.REDIS_URL },
    kafka: {
      brokers: e.KAFKA_BROKERS.split(',').map((b) => b.trim()),
      clientId: `parley-${service}`,
      ssl: e.KAFKA_SSL,
      sasl:
        e.KAFKA_SASL_MECHANISM === 'none'
          ? null
          : {
              mechanism: e.KAFKA_SASL_MECHANISM,
              username: e.KAFKA_SASL_USERNAME ?? '',
              password: e.KAFKA_SASL_PASSWORD ?? '',
            },
      topicPrefix: e.KAFKA_TOPIC_PREFIX,
      partitions: e.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: e.KAFKA_TOPIC_REPLICATION_FACTOR,
      retryMaxMs: e.KAFKA_RETRY_MAX_MS,
      retries: e.KAFKA_RETRIES,
    },
    bus: {
      maxRetries: e.BUS_MAX_RETRIES,
      retryBackoffMs: e.BUS_RETRY_BACKOFF_MS,
      requestTimeoutMs: e.BUS_REQUEST_TIMEOUT_MS,
      fetchMaxWaitMs: e.BUS_FETCH_MAX_WAIT_MS,
      replyFetchMaxWaitMs: e.BUS_REPLY_FETCH_MAX_WAIT_MS,
      readinessCacheMs: e.BUS_READINESS_CACHE_MS,
      consumerStaleMs: e.BUS_CONSUMER_STALE_MS,
      outboxRetentionMs: e.OUTBOX_RETENTION_MS,
      outboxPollMs: e.OUTBOX_POLL_MS,
      lagSampleMs: e.BUS_LAG_SAMPLE_MS,
    },
    database:
      'DATABASE_URL' in e
        ? { url: str('DATABASE_URL'), poolMax: num('DATABASE_POOL_MAX'), ssl: flag('DATABASE_SSL') }
        : null,
    tenant:
      'MIGRATE_ON_START' in e
        ? {
            migrateOnStart: flag('MIGRATE_ON_START'),
            defaultTenantSlug: str('DEFAULT_TENANT_SLUG'),
            defaultTenantName: str('DEFAULT_TENANT_NAME'),
            deletionGraceSeconds: num('TENANT_DELETION_GRACE_SECONDS'),
            purgeIntervalMs: num('TENANT_PURGE_INTERVAL_MS'),
            purgeBatchSize: num('TENANT_PURGE_BATCH_SIZE'),
            signupsRetentionMs: num('TENANT_SIGNUPS_RETENTION_MS'),
            settingMaxBytes: num('TENANT_SETTING_MAX_BYTES'),
          }
        : null,
    plans: 'PLAN_FREE_CHAT_REQUESTS_PER_HOUR' in e ? toPlansConfig(num) : null,
    features: features.flags,
    gateway: service === 'gateway' ? toGatewayConfig(e) : null,
    jwt,
    auth:
      jwt && 'ACCESS_TOKEN_TTL_SECONDS' in e ? { ...toAuthConfig(e, jwt), socialProviders: social.providers } : null,
    chat: service === 'chat-orchestrator' ? toChatConfig(e) : null,
    billing: service === 'billing' ? toBillingConfig(e) : null,
    analytics: service === 'analytics' ? toAnalyticsConfig(e) : null,
    stt: service === 'stt' ? toSttConfig(e) : null,
  };
}

/** Public on purpose: only development and test runs may use it (validation requires a secret elsewhere). */
const DEVELOPMENT_INTERNAL_SEED = 'parley-development-internal-auth-secret';

/** The fixed, public development internal-auth secret (INTERNAL_AUTH_SECRET unset; tests sign with it). */
export function developmentInternalAuthSecret(): Buffer {
  return createHash('sha256').update(DEVELOPMENT_INTERNAL_SEED).digest();
}

/**
 * The internal-auth secret alone, validated like loadConfig does (for a CLI that mints a service
 * credential): the configured one, or the development key when none is set.
 */
export function loadInternalAuth(env: Record<string, string | undefined>): AppConfig['internalAuth'] {
  const value = env.INTERNAL_AUTH_SECRET || undefined;
  const parsed = serviceEnvShape('gateway').INTERNAL_AUTH_SECRET?.safeParse(value);
  if (parsed && !parsed.success) {
    throw new ConfigValidationError('gateway', [
      { variable: 'INTERNAL_AUTH_SECRET', message: parsed.error.issues[0]?.message ?? 'is invalid' },
    ]);
  }
  return internalAuthOf(value);
}

function internalAuthOf(configured: string | undefined): AppConfig['internalAuth'] {
  if (configured) return { secret: Buffer.from(configured, 'base64'), development: false };
  return { secret: developmentInternalAuthSecret(), development: true };
}

/** The auth section, from an environment that passed the auth schema. */
function toAuthConfig(e: Record<string, unknown>, jwt: JwtConfig): Omit<AuthServiceConfig, 'socialProviders'> {
  const str = (key: string) => e[key] as string;
  const num = (key: string) => e[key] as number;
  return {
    jwt,
    accessTokenTtlSeconds: num('ACCESS_TOKEN_TTL_SECONDS'),
    refreshTokenTtlSeconds: num('REFRESH_TOKEN_TTL_SECONDS'),
    keyEncryptionKey:
      typeof e.AUTH_KEY_ENCRYPTION_KEY === 'string' ? Buffer.from(e.AUTH_KEY_ENCRYPTION_KEY, 'base64') : null,
    publicUrl: str('PUBLIC_URL').replace(/\/+$/, ''),
    trustProxyHops: num('TRUST_PROXY_HOPS'),
    mail: {
      smtpUrl: str('SMTP_URL'),
      from: str('MAIL_FROM'),
      sendAttempts: num('MAIL_SEND_ATTEMPTS'),
      timeoutMs: num('MAIL_TIMEOUT_MS'),
      retryIntervalMs: num('MAIL_RETRY_INTERVAL_MS'),
      retryForSeconds: num('MAIL_RETRY_FOR_SECONDS'),
    },
    inviteTtlSeconds: num('INVITE_TTL_SECONDS'),
    passwordResetTtlSeconds: num('PASSWORD_RESET_TTL_SECONDS'),
    lockout: {
      accountThreshold: num('AUTH_LOCKOUT_THRESHOLD'),
      ipThreshold: num('AUTH_LOCKOUT_IP_THRESHOLD'),
      windowSeconds: num('AUTH_LOCKOUT_WINDOW_SECONDS'),
      baseDelaySeconds: num('AUTH_LOCKOUT_BASE_DELAY_SECONDS'),
    },
    apiKeyVerify: {
      failureLimit: num('API_KEY_VERIFY_FAILURE_LIMIT'),
      windowSeconds: num('API_KEY_VERIFY_WINDOW_SECONDS'),
    },
    domains: {
      dnsResolvers: str('DNS_RESOLVERS')
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
      dnsTimeoutMs: num('DNS_TIMEOUT_MS'),
      mailTtlSeconds: num('DOMAIN_MAIL_TTL_SECONDS'),
    },
    ssoMetadata: {
      refreshIntervalMs: num('SSO_METADATA_REFRESH_INTERVAL_MS'),
      maxAgeSeconds: num('SSO_METADATA_MAX_AGE_SECONDS'),
    },
  };
}

/** The plan limits, from an environment that passed the tenant schema (`PLAN_<PLAN>_<LIMIT>`). */
function toPlansConfig(num: (key: string) => number): PlansConfig {
  const plan = (id: PlanId) => {
    const v = (limit: string) => num(`PLAN_${id.toUpperCase()}_${limit}`);
    return {
      chatRequestsPerHour: v('CHAT_REQUESTS_PER_HOUR'),
      tokensPerMonth: v('TOKENS_PER_MONTH'),
      sttMinutesPerMonth: v('STT_MINUTES_PER_MONTH'),
      sttMaxAudioSeconds: v('STT_MAX_AUDIO_SECONDS'),
      members: v('MEMBERS'),
      apiKeys: v('API_KEYS'),
    };
  };
  return { free: plan('free'), pro: plan('pro'), enterprise: plan('enterprise') };
}
