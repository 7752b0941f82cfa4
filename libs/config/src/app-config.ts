import type { GatewayConfig } from './gateway-env';
import type { ServiceName } from './service-name';

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
}

export interface BusConfig {
  maxRetries: number;
  retryBackoffMs: number;
  requestTimeoutMs: number;
  fetchMaxWaitMs: number;
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
}

/** Who issues access tokens and for whom (auth signs with it, the gateway verifies against it). */
export interface JwtConfig {
  issuer: string;
  audience: string;
}

export interface AuthServiceConfig {
  jwt: JwtConfig;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** 32 bytes that encrypt signing keys at rest; null when unset (development and test only). */
  keyEncryptionKey: Buffer | null;
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
  shutdownGraceMs: number;
  otlpEndpoint: string | null;
  redis: { url: string };
  kafka: KafkaConfig;
  bus: BusConfig;
  database: DatabaseConfig | null;
  tenant: TenantServiceConfig | null;
  gateway: GatewayConfig | null;
  /** Set for the services that issue or verify access tokens (auth, gateway). */
  jwt: JwtConfig | null;
  auth: AuthServiceConfig | null;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
