import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from '@parley/config';

let sdk: NodeSDK | undefined;

/** Probes and scrapes: spans for them would be most of a trace store and tell nothing. */
const UNTRACED_PATHS = /^\/(health\/|metrics$)/;

/**
 * Starts OpenTelemetry tracing when configured (`config.tracing`, see libs/config): the NodeSDK with
 * HTTP server and client, undici, Postgres and Redis instrumentation, an OTLP/HTTP exporter and a
 * parent-based ratio sampler. Kafka spans are the bus's own (libs/bus: a producer span whose context
 * travels in the message's `traceparent` header, a consumer span under it), not kafkajs
 * instrumentation: the outbox publishes long after the request that wrote the row, so only the
 * header stored with the row knows the right parent. Without tracing no SDK runs, the API is a no-op
 * and `traceparent` headers still travel (see RequestContext).
 */
export function startTracing(config: TracingConfig | null): void {
  if (!config || sdk) return;
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
    autoDetectResources: false,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl }), { scheduledDelayMillis: 500 }),
    ],
    // Traces only: metrics are Prometheus (`/metrics`) and logs are JSON on stdout. Without these the
    // SDK would also push OTLP metrics and logs to the same endpoint (its default when
    // OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER are unset).
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.test(request.url ?? ''),
      }),
      new UndiciInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  // A service's modules (pg, ioredis, http) are loaded before runService starts tracing; requiring
  // them again after the hooks are in place hands their exports to the instrumentations once.
  const load = createRequire(__filename);
  for (const name of ['http', 'https', 'pg', 'ioredis']) {
    try {
      load(name);
    } catch {
      // a service without that dependency
    }
  }
}

/** Whether spans are being recorded and exported in this process. */
export function tracingActive(): boolean {
  return sdk !== undefined;
}

/** Flushes and stops the SDK, and unregisters it from the API (a later startTracing starts afresh). */
export async function stopTracing(): Promise<void> {
  if (!sdk) return;
  await sdk.shutdown();
  sdk = undefined;
  trace.disable();
  propagation.disable();
  context.disable();
}
