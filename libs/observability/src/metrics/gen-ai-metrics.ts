import { Histogram } from 'prom-client';
import type { ServiceMetrics } from './service-metrics';

/** The OpenTelemetry GenAI conventions' advisory buckets for `gen_ai.client.token.usage`. */
export const GEN_AI_TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216];
/** The conventions' advisory buckets for `gen_ai.client.operation.duration` (seconds). */
export const GEN_AI_DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

type GenAiLabel = 'gen_ai_operation_name' | 'gen_ai_provider_name' | 'gen_ai_request_model';

/**
 * Model-call metrics under the OpenTelemetry GenAI semantic conventions' names, as Prometheus spells
 * them (dots become underscores, the unit is a suffix): `gen_ai_client_token_usage` (tokens, by
 * `gen_ai_token_type` input/output), `gen_ai_client_operation_duration_seconds` and
 * `gen_ai_client_operation_time_to_first_chunk_seconds`. Labels are bounded: the operation, the
 * provider protocol, and the model — the operator's configured models by name, every
 * tenant-configured model as `tenant` (a tenant types any name it likes). No tenant label: tenants
 * are unbounded; per-tenant usage is the analytics and billing services' job, and spans carry the
 * tenant id.
 */
export class GenAiMetrics {
  readonly tokenUsage: Histogram<GenAiLabel | 'gen_ai_token_type'>;
  readonly operationDuration: Histogram<GenAiLabel | 'error_type'>;
  readonly timeToFirstChunk: Histogram<GenAiLabel>;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    const labelNames: GenAiLabel[] = ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model'];
    this.tokenUsage = new Histogram({
      name: 'gen_ai_client_token_usage',
      help: 'Tokens per model call (gen_ai.client.token.usage), by token type (input, output)',
      labelNames: [...labelNames, 'gen_ai_token_type'],
      buckets: GEN_AI_TOKEN_BUCKETS,
      registers,
    });
    this.operationDuration = new Histogram({
      name: 'gen_ai_client_operation_duration_seconds',
      help: 'Model call duration, request to last chunk (gen_ai.client.operation.duration); error_type set on failures',
      labelNames: [...labelNames, 'error_type'],
      buckets: GEN_AI_DURATION_BUCKETS,
      registers,
    });
    this.timeToFirstChunk = new Histogram({
      name: 'gen_ai_client_operation_time_to_first_chunk_seconds',
      help: 'From the model call to its first streamed text chunk',
      labelNames,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
  }
}

/**
 * Speech-to-text latency for the stt service: `stt_transcription_duration_seconds` from the audio's
 * arrival to its transcript, by `mode` (batch, streaming) and `outcome` (ok, failed) — both bounded.
 */
export class SttMetrics {
  readonly latency: Histogram<'mode' | 'outcome'>;

  constructor(metrics: ServiceMetrics) {
    this.latency = new Histogram({
      name: 'stt_transcription_duration_seconds',
      help: 'Speech-to-text latency, audio received to transcript, by mode (batch, streaming) and outcome (ok, failed)',
      labelNames: ['mode', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120],
      registers: [metrics.registry],
    });
  }
}
