export { SERVICE_NAMES, DEFAULT_PORTS, DATABASE_SERVICES, isServiceName, type ServiceName } from './service-name';
export { serviceEnvSchema, serviceEnvShape, requiredEnvVars, type ServiceEnvSchema } from './env-schema';
export {
  APP_CONFIG,
  type AppConfig,
  type TracingConfig,
  type BusConfig,
  type DatabaseConfig,
  type DeploymentMode,
  type KafkaConfig,
  type LogLevel,
  type TenantServiceConfig,
  type PlanId,
  type PlanLimitsConfig,
  type PlansConfig,
  type FeaturesConfig,
} from './app-config';
export { loadConfig, loadInternalAuth, ConfigValidationError, developmentInternalAuthSecret } from './load-config';
export { gatewayShape, toGatewayConfig, type GatewayConfig } from './gateway-env';
export { oauthShape, toSocialProviders, type SocialProviderConfig } from './oauth-env';
export {
  chatShape,
  toChatConfig,
  DEFAULT_ANTHROPIC_BASE_URL,
  DEFAULT_OPENAI_BASE_URL,
  type ChatConfig,
  type ChatProviderConfig,
} from './chat-env';
export { KeyEncryption, keyEncryptionKey, keyHint, TextKeyEncryption } from './key-encryption';
export { EgressPolicy, type EgressConfig } from './egress/egress-policy';
export { classifyAddress, parseIpv4, parseIpv6, type AddressClass } from './egress/ip-address';
export { billingShape, toBillingConfig, type BillingConfig } from './billing-env';
export { ANALYTICS_PROVIDERS, type AnalyticsProviderName, type AnalyticsServiceConfig } from './analytics-env';
export {
  DEFAULT_STT_STREAM_UPSTREAM_BASE_URL,
  DEFAULT_STT_UPSTREAM_BASE_URL,
  sttShape,
  toSttConfig,
  type SttConfig,
  type SttUpstreamConfig,
} from './stt-env';
