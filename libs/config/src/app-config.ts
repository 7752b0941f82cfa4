import type { SocialProviderConfig } from './oauth-env';
import type { BillingConfig } from './billing-env';
import type { AnalyticsServiceConfig } from './analytics-env';
import type { ChatConfig } from './chat-env';
import type { EgressConfig } from './egress/egress-policy';
import type { GatewayConfig } from './gateway-env';
import type { ServiceName } from './service-name';
import type { SttConfig } from './stt-env';

export type DeploymentMode = 'self-hosted' | 'cloud';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  sasl: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string } | null;
  topicPrefix: string;
  partitions: number;
  replicationFactor: number;
  /** Longest kafkajs backoff between two retries: bounds how long after the broker is back a client notices. */
  retryMaxMs: number;
  /** Retries of a kafkajs connection or consumer fetch loop before it gives up (a consumer restart is a new group member). */
  retries: number;
}

export interface BusConfig {
  maxRetries: number;
  retryBackoffMs: number;
  requestTimeoutMs: number;
  /**
   * Longest an event/command consumer's fetch waits when there is nothing to read. It sets the idle
   * cost (one fetch and one heartbeat per wait) and not the latency: a fetch returns as soon as a
   * message arrives. kafkajs heartbeats between fetches only, so it stays under a third of the session.
   */
  fetchMaxWaitMs: number;
  /** The same for the reply consumer (request/reply), whose session is shorter. */
  replyFetchMaxWaitMs: number;
  /** A readiness probe of Kafka (produce, and consume back on the reply topic) is reused this long. */
  readinessCacheMs: number;
  /** A consumer that has neither fetched nor heartbeated for this long is reported not ready. */
  consumerStaleMs: number;
  /** Published `control.outbox` rows older than this are deleted by the relay. */
  outboxRetentionMs: number;
  /** The outbox relay's safety poll: rows are published on commit (and on a Postgres NOTIFY); this finds what a crash left. */
  outboxPollMs: number;
  /** `kafka_consumer_lag` is measured (admin offsets vs the group's commits) at most this often, on scrape. */
  lagSampleMs: number;
}

export interface DatabaseConfig {
  url: string;
  poolMax: number;
  ssl: boolean;
}

export interface TenantServiceConfig {
  migrateOnStart: boolean;
  defaultTenantSlug: string;
  defaultTenantName: string;
  /** A deleted tenant's schema is dropped this long after the deletion (restorable until then). */
  deletionGraceSeconds: number;
  /** How often the purge job looks for tenants past their grace period; 0 turns it off. */
  purgeIntervalMs: number;
  /** Tenants purged per pass at most. */
  purgeBatchSize: number;
  /** Settled `control.tenant_signups` rows are deleted this long after their last change. */
  signupsRetentionMs: number;
  /** Largest JSON value of one tenant setting, in bytes. */
  settingMaxBytes: number;
}

export type PlanId = 'free' | 'pro' | 'enterprise';

export interface PlanLimitsConfig {
  chatRequestsPerHour: number;
  tokensPerMonth: number;
  sttMinutesPerMonth: number;
  /** Longest audio of one upload or one live session (seconds). */
  sttMaxAudioSeconds: number;
  members: number;
  apiKeys: number;
}

/** Plan limits (tenant service); written into `control.plans` at start, the one source others read. */
export type PlansConfig = Readonly<Record<PlanId, PlanLimitsConfig>>;

/** Global feature flags from `FEATURE_<NAME>=true|false`: lower-case name → default for every tenant. */
export type FeaturesConfig = Readonly<Record<string, boolean>>;

/** Who issues access tokens and for whom (auth signs with it, the gateway verifies against it). */
export interface JwtConfig {
  issuer: string;
  audience: string;
}

/** Outgoing mail of the auth service (invites, password resets). */
export interface MailConfig {
  /** `smtp://` or `smtps://`, credentials included when the relay needs them (never logged). */
  smtpUrl: string;
  from: string;
  /** Attempts per message before the caller gets `mail_unavailable`. */
  sendAttempts: number;
  /** Connection, greeting and socket timeout of one attempt. */
  timeoutMs: number;
  /** How often queued mails (billing's notices the server did not take) are tried again. */
  retryIntervalMs: number;
  /** How long a queued mail is tried again before it is given up (and logged as an error). */
  retryForSeconds: number;
}

/** Failed sign-ins per account and per client address before attempts are refused for a while. */
export interface LockoutConfig {
  accountThreshold: number;
  ipThreshold: number;
  windowSeconds: number;
  /** The first refusal lasts this long; each further failure doubles it, up to the window. */
  baseDelaySeconds: number;
}

export interface AuthServiceConfig {
  jwt: JwtConfig;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** 32 bytes that encrypt signing keys at rest; null when unset (development and test only). */
  keyEncryptionKey: Buffer | null;
  /** Where people open links from mails (the web app behind the gateway), without a trailing slash. */
  publicUrl: string;
  /** Proxies in front of auth whose `X-Forwarded-For` is trusted (1 behind the gateway). */
  trustProxyHops: number;
  mail: MailConfig;
  inviteTtlSeconds: number;
  passwordResetTtlSeconds: number;
  lockout: LockoutConfig;
  /** Refused API keys (`internal/api-keys/verify`, platform-wide) per window; past it, 429 before any lookup. */
  apiKeyVerify: { failureLimit: number; windowSeconds: number };
  /** Verified domains: where TXT records are looked up, and how long a verification mail's link works. */
  domains: DomainsConfig;
  /** SAML metadata URLs read again once `maxAgeSeconds` old; a pass every `refreshIntervalMs` (0: never). */
  ssoMetadata: { refreshIntervalMs: number; maxAgeSeconds: number };
  /** Platform-wide social sign-in the operator turned on (`OAUTH_PROVIDERS`); empty when off. */
  socialProviders: SocialProviderConfig[];
}

export interface DomainsConfig {
  /** `ip[:port]` of the DNS servers asked for TXT records; empty: the system's resolvers. */
  dnsResolvers: string[];
  dnsTimeoutMs: number;
  mailTtlSeconds: number;
}

/** The one typed configuration object of a service, read and validated once at boot. */
export interface AppConfig {
  service: ServiceName;
  instanceId: string;
  nodeEnv: 'development' | 'test' | 'production';
  logLevel: LogLevel;
  host: string;
  port: number;
  deploymentMode: DeploymentMode;
  httpBodyLimitBytes: number;
  /** JSON bodies: deepest nesting of objects/arrays, and most entries (members + elements) in all. */
  httpJson: { maxDepth: number; maxEntries: number };
  shutdownGraceMs: number;
  /**
   * Signs and verifies the per-request internal principal and service credentials (HMAC-SHA256).
   * `development` is true when it is the fixed, public development key (INTERNAL_AUTH_SECRET unset).
   */
  internalAuth: { secret: Buffer; development: boolean };
  /** What tenant-supplied URLs may reach (EgressPolicy). */
  egress: EgressConfig;
  /** Prometheus metrics: the event-loop delay histogram samples every `eventLoopResolutionMs`. */
  metrics: { eventLoopResolutionMs: number };
  /** OpenTelemetry tracing; null (off) unless OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  tracing: TracingConfig | null;
  redis: { url: string };
  kafka: KafkaConfig;
  bus: BusConfig;
  database: DatabaseConfig | null;
  tenant: TenantServiceConfig | null;
  /** Set for the tenant service, which owns plans and feature flags. */
  plans: PlansConfig | null;
  /** Every service: the global flags (`FEATURE_<NAME>`), the same values everywhere (one shared environment). */
  features: FeaturesConfig;
  gateway: GatewayConfig | null;
  /** Set for the services that issue or verify access tokens (auth, gateway). */
  jwt: JwtConfig | null;
  auth: AuthServiceConfig | null;
  /** Set for the chat-orchestrator. */
  chat: ChatConfig | null;
  /** Set for the stt service. */
  stt: SttConfig | null;
  /** Set for the analytics service. */
  analytics: AnalyticsServiceConfig | null;
  /** Set for the billing service. */
  billing: BillingConfig | null;
}

/** Where and how much a service traces (OTLP/HTTP export, parent-based ratio sampling). */
export interface TracingConfig {
  /** `service.name` of the spans: `parley-<service>`. */
  serviceName: string;
  /** OTLP/HTTP traces endpoint: `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`. */
  tracesUrl: string;
  /** Share of new traces kept, 0..1 (OTEL_TRACES_SAMPLER_ARG); a caller's sampled flag is followed. */
  sampleRatio: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
