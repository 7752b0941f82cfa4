export { ensureInfra, REPO_ROOT, type InfraEnv } from './infra-env';
export { infra, createTestDatabase, testEnv, testConfig, uniqueSuffix, type TestDatabase } from './test-infra';
export { waitFor } from './wait-for';
export { TopicReader, type ReadMessage } from './topic-reader';
export { PrivatePostgres, freePort } from './private-postgres';
export { PrivateInfra, type PrivateComponent } from './private-infra';
export { ServiceProcess } from './service-process';
export {
  PlatformProcesses,
  type PlatformProcessesOptions,
  type EnvOverrides,
  type ServiceUrls,
} from './platform-processes';
export { summarize, closedLoop, parseHistogram, type HistogramSnapshot, type LatencyStats } from './bench-stats';
export { LlmSimulator, SIM_LAST_REQUEST_PATH, type SimRule } from './llm-simulator/llm-simulator';
export type { LlmSimulatorOptions, SimMatch, SimProtocol, SimRequest, SimScenario } from './llm-simulator/sim-types';
export {
  internalPrincipalHeaders,
  verifyInternalPrincipal,
  serviceCredentialHeaders,
  serviceFetch,
} from './internal-principal';
export { DnsServer, TEST_DNS_ZONE } from './dns-server';
export { TestGitHub, type GitHubPerson } from './test-github';
export { LdapServer, type LdapPerson } from './ldap-server';
export {
  registeredRoutes,
  routeParity,
  routeKey,
  isExcludedRoute,
  offlineConfig,
  type RouteParity,
} from './route-parity';
export { sharedKeycloak, stopKeycloak, keycloakRunDir, type KeycloakEnv } from './keycloak/keycloak-server';
export { sharedJaeger, stopJaeger, jaegerRunDir, type JaegerEnv } from './jaeger/jaeger-server';
export { JaegerTrace, testTraceparent, type TraceSpan } from './jaeger/jaeger-trace';
export {
  KeycloakAdmin,
  type KeycloakUser,
  type SamlClientOptions,
  type OidcClientOptions,
} from './keycloak/keycloak-admin';
export {
  sharedStripeMock,
  stopStripeMock,
  stripeMockRunDir,
  type StripeMockEnv,
} from './stripe-mock/stripe-mock-server';
export { StripeRecorder, type RecordedStripeCall } from './stripe-mock/stripe-recorder';
export { PostHogReceiver, MixpanelReceiver, type ReceivedEvent } from './analytics-receivers';
export { sttEngineEnv, Speech, type SttEngineEnv, type SpeechFormat } from './stt-engine';
export { normalizedWords, wordErrors, wavPcm } from './word-errors';
export {
  OpenAiTranscriptionServer,
  type ForcedAnswer,
  type OpenAiTranscriptionServerOptions,
  type TranscriptionCall,
} from './speech-upstreams/openai-transcription-server';
export {
  DeepgramLiveServer,
  type DeepgramLiveServerOptions,
  type DeepgramSession,
} from './speech-upstreams/deepgram-live-server';
