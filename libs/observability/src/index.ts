export { RequestContext, newTraceparent, childTraceparent, type RequestContextData } from './context/request-context';
export { createLogger, type Logger } from './logging/logger';
export { NestPinoLogger } from './logging/nest-logger';
export { ServiceMetrics } from './metrics/service-metrics';
export { GenAiMetrics, SttMetrics, GEN_AI_TOKEN_BUCKETS, GEN_AI_DURATION_BUCKETS } from './metrics/gen-ai-metrics';
export { HealthRegistry, type HealthCheck, type ReadinessReport } from './health/health-registry';
export { ProblemFilter } from './http/problem.filter';
export { dependencyOutage, DEPENDENCY_RETRY_AFTER_SECONDS, type Dependency } from './http/dependency-outage';
export { createHttpApp, type HttpAppOptions } from './http/http-app.factory';
export { ObservabilityModule, LOGGER } from './observability.module';
export { startTracing, stopTracing, tracingActive } from './tracing/tracing';
export {
  tracer,
  traceparentOf,
  contextFromHeaders,
  tagActiveSpan,
  failSpan,
  failActiveSpan,
  inSpan,
  startSpan,
  withSpan,
  SpanKind,
  type Span,
  type SpanContext,
  type SpanOptions,
  ATTR_TENANT_ID,
} from './tracing/spans';
export { runService, EXIT_CONFIG } from './run-service';
export { InternalTokens } from './internal-auth/internal-tokens';
export { InternalRouteGuard } from './internal-auth/internal-route.guard';
export {
  HttpClient,
  CallAbortedError,
  readWhole,
  type HttpCall,
  type HttpAnswer,
  type HttpClientOptions,
  type WholeAnswer,
} from './http-client/http-client';
export { EgressAgents } from './http-client/egress-agents';
export { RepeatingPass } from './jobs/repeating-pass';
