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
      // Fine below 1 ms, where a healthy check lands (the bench reads its p50/p99 from these buckets).
      buckets: [
        0.00005, 0.0001, 0.00015, 0.0002, 0.0003, 0.0004, 0.0005, 0.00075, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25,
      ],
      registers,
    });
    this.fallbackActive.set(0);
  }
}
