import { Gauge } from 'prom-client';
import type { Logger, ServiceMetrics } from '@parley/observability';
import type { TopicAdmin } from './topic-admin';
import type { TopicNamer } from './topic-namer';

/** An admin round trip that takes longer than this is abandoned; the scrape reports no lag series. */
const SAMPLE_TIMEOUT_MS = 5_000;

/**
 * `kafka_consumer_lag{group, topic}`: how many messages the service's consumer group has yet to
 * handle on each topic it consumes (end offsets against the group's committed offsets, summed over
 * partitions). Measured when Prometheus scrapes `/metrics`, at most once per `minIntervalMs`
 * (BUS_LAG_SAMPLE_MS): scrapes in between get the last figures, so neither scrapes nor idle
 * replicas cost the broker more than one admin round trip per interval, and nothing runs between
 * scrapes. When Kafka cannot answer, the series disappear (the dependency alerts say why) rather
 * than report a stale figure. Labels are bounded: one group per service, its own topics.
 */
export class ConsumerLag {
  private values = new Map<string, number>();
  private sampledAt = -Infinity;
  private sampling: Promise<void> | undefined;

  constructor(
    private readonly admin: TopicAdmin,
    private readonly names: TopicNamer,
    private readonly groupId: string,
    private readonly topics: readonly string[],
    private readonly minIntervalMs: number,
    private readonly log: Logger,
  ) {}

  /** Registers the gauge on the service's registry (once per process: one consumer group per service). */
  register(metrics: ServiceMetrics): void {
    if (metrics.registry.getSingleMetric('kafka_consumer_lag')) return;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- prom-client calls collect with the gauge as `this`
    const lag = this;
    new Gauge({
      name: 'kafka_consumer_lag',
      help: 'Messages behind the end of each consumed topic, by consumer group and topic (sampled on scrape)',
      labelNames: ['group', 'topic'],
      registers: [metrics.registry],
      async collect() {
        await lag.refresh();
        this.reset();
        for (const [topic, value] of lag.values) this.set({ group: lag.groupId, topic }, value);
      },
    });
  }

  /** Measures again when the last measurement is older than the interval (one at a time). */
  async refresh(): Promise<void> {
    if (performance.now() - this.sampledAt < this.minIntervalMs) return;
    this.sampling ??= this.sample().finally(() => {
      this.sampling = undefined;
    });
    await this.sampling;
  }

  private async sample(): Promise<void> {
    const physical = this.topics.map((topic) => this.names.physical(topic));
    let timer: NodeJS.Timeout | undefined;
    try {
      const lag = await Promise.race([
        this.admin.consumerLag(this.groupId, physical),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${SAMPLE_TIMEOUT_MS} ms`)), SAMPLE_TIMEOUT_MS);
        }),
      ]);
      this.values = new Map([...lag].map(([topic, value]) => [this.names.logical(topic), value]));
    } catch (error) {
      this.values = new Map();
      this.log.warn({ err: error, group: this.groupId }, 'Could not measure consumer lag');
    } finally {
      clearTimeout(timer);
      this.sampledAt = performance.now();
    }
  }
}
