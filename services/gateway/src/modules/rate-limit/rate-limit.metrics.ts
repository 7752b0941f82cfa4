import { Counter, Gauge, Histogram } from 'prom-client';
import type { ServiceMetrics } from '@parley/observability';

/** Rate-limit metrics in the service's registry (so they carry the `service` label). */
export class RateLimitMetrics {
  readonly fallbackActive: Gauge;
  readonly decisions: Counter<'decision'>;
  readonly checkDuration: Histogram<'store'>;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.fallbackActive = new Gauge({
      name: 'rate_limit_fallback_active',
      help: '1 while Redis is unreachable and this replica limits with its in-process fallback',
      registers,
    });
    this.decisions = new Counter({
      name: 'rate_limit_decisions_total',
      help: 'Rate-limit decisions, by decision (allowed, limited)',
      labelNames: ['decision'],
      registers,
    });
    this.checkDuration = new Histogram({
      name: 'rate_limit_check_duration_seconds',
      help: 'Latency of one rate-limit check, by store (redis, memory)',
      labelNames: ['store'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25],
      registers,
    });
    this.fallbackActive.set(0);
  }
}
