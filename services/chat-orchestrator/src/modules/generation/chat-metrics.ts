import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { ServiceMetrics } from '@parley/observability';

export type GenerationOutcome = 'complete' | 'stopped' | 'failed';

/** Chat metrics on the service's registry (`/metrics`, label `service` on all). */
@Injectable()
export class ChatMetrics {
  readonly generations: Counter<'outcome'>;
  readonly timeToFirstToken: Histogram;
  readonly preflight: Histogram;
  readonly tokens: Counter<'kind'>;
  /** The Helm HPA (metrics.customHpa) and dashboard read this name. */
  readonly inflightStreams: Gauge;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.generations = new Counter({
      name: 'chat_generations_total',
      help: 'Assistant answers that ended, by outcome (complete, stopped, failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.timeToFirstToken = new Histogram({
      name: 'chat_time_to_first_token_seconds',
      help: 'From the request reaching the orchestrator to the first token sent to the client',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.preflight = new Histogram({
      name: 'chat_preflight_duration_seconds',
      help: 'Work before the provider call: limits, lock, skill, providers, history, stored messages',
      buckets: [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers,
    });
    this.tokens = new Counter({
      name: 'chat_tokens_total',
      help: 'Tokens used by answers, by kind (prompt, completion); estimated counts included',
      labelNames: ['kind'],
      registers,
    });
    this.inflightStreams = new Gauge({
      name: 'parley_inflight_streams',
      help: 'Answers being generated now (streamed or awaited) on this replica',
      registers,
    });
  }
}
