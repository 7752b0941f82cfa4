import { type BeforeApplicationShutdown, Inject, Injectable, Optional } from '@nestjs/common';
import { Counter } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { ServiceMetrics } from '@parley/observability';
import { ConsentRepository } from './consent.repository';
import { ForwardingQueue } from './forwarding-queue';
import type { ProductEvent } from './product-event';
import { ANALYTICS_SINK, type AnalyticsSink } from './sinks/analytics-sink';

/**
 * Hands product events to the configured provider (ANALYTICS_PROVIDER) when the tenant consents:
 * its choice, else the deployment's default (on in the cloud, off self-hosted). Without a provider
 * nothing is queued. The queue is bounded and never blocks; what it drops is counted in
 * `analytics_forward_dropped_total{reason}`, what it sends in `analytics_forward_sent_total`.
 */
@Injectable()
export class Forwarder implements BeforeApplicationShutdown {
  readonly queue: ForwardingQueue | null;
  private readonly consentByDefault: boolean;

  constructor(
    private readonly consent: ConsentRepository,
    metrics: ServiceMetrics,
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() @Inject(ANALYTICS_SINK) sink: AnalyticsSink | null,
  ) {
    const forwarding = config.analytics!.forwarding;
    this.consentByDefault = forwarding.consentByDefault;
    const registers = [metrics.registry];
    const sent = new Counter({
      name: 'analytics_forward_sent_total',
      help: 'Product events a provider accepted',
      labelNames: ['provider'],
      registers,
    });
    const dropped = new Counter({
      name: 'analytics_forward_dropped_total',
      help: 'Product events dropped: queue_full (the bounded queue) or send_failed (retries exhausted)',
      labelNames: ['provider', 'reason'],
      registers,
    });
    this.queue = sink
      ? new ForwardingQueue(
          sink,
          {
            max: forwarding.queueMax,
            batchSize: forwarding.batchSize,
            flushIntervalMs: forwarding.flushIntervalMs,
            maxAttempts: forwarding.maxAttempts,
          },
          {
            sent: (n) => sent.inc({ provider: sink.name }, n),
            dropped: (reason, n) => dropped.inc({ provider: sink.name, reason }, n),
          },
        )
      : null;
  }

  /** Whether the context tenant's events leave Parley: its choice, else the deployment's default. */
  async consents(): Promise<boolean> {
    return (await this.consent.read()) ?? this.consentByDefault;
  }

  /** Queues the event when a provider is configured and the context tenant consents (never waits for the provider). */
  async offer(event: ProductEvent): Promise<void> {
    if (!this.queue || !(await this.consents())) return;
    this.queue.push(event);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.queue?.close();
  }
}
