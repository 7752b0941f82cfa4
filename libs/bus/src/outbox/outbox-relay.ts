import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { BusHeader } from '@parley/contracts';
import {
  ATTR_TENANT_ID,
  contextFromHeaders,
  failSpan,
  LOGGER,
  SpanKind,
  startSpan,
  type Logger,
} from '@parley/observability';
import { DATA_SOURCE } from '@parley/tenancy';
import { BusProducer } from '../bus-producer';
import { TopicAdmin } from '../topic-admin';
import { TopicNamer } from '../topic-namer';
import { OutboxWakeup } from './outbox-wakeup';

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  value: unknown;
  headers: Record<string, string>;
}

const BATCH = 200;
/** After a failed pass (Kafka or Postgres out), the next one comes this soon, whatever the safety poll. */
export const OUTBOX_RETRY_MS = 1000;
/**
 * A commit's notification is acted on after this long, once for all that arrive meanwhile: the
 * writer normally publishes its rows itself by then (its flush), so this pass mostly finds nothing.
 */
const PEER_WAKE_DELAY_MS = 1000;
/** How often a replica deletes published rows past OUTBOX_RETENTION_MS, and how many per statement. */
export const OUTBOX_PRUNE_EVERY_MS = 60_000;
const PRUNE_BATCH = 1000;
/** At most this many statements per pruning pass: a huge backlog is worked down over several passes. */
const PRUNE_MAX_STATEMENTS = 20;

/**
 * Publishes this service's outbox rows: right after a commit (`flush()`, called by the writer's
 * use case), again OUTBOX_RETRY_MS after a pass failed (Kafka or Postgres out) until one succeeds,
 * soon after any instance of the service committed rows (a Postgres NOTIFY, see OutboxWakeup: the
 * writer may have died before publishing), and on a slow safety poll (OUTBOX_POLL_MS) for
 * anything else a crash left behind. Idle, it wakes once per safety poll. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED`, so replicas share the work without publishing a row twice at once; a
 * row is marked published only after Kafka acknowledged it (consumers dedupe on the message id).
 * Published rows are kept OUTBOX_RETENTION_MS (for audits and replays), then pruned every minute.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private nextAt = Infinity;
  private running: Promise<number> | undefined;
  private again = false;
  private stopped = false;
  private lastPrune = 0;
  private readonly wakeup: OutboxWakeup | undefined;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly producer: BusProducer,
    private readonly admin: TopicAdmin,
    private readonly names: TopicNamer,
  ) {
    this.wakeup = config.database
      ? new OutboxWakeup(config.database, config.service, () => this.schedule(PEER_WAKE_DELAY_MS), logger)
      : undefined;
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
    this.wakeup?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.wakeup?.stop();
    await this.running?.catch(() => undefined);
  }

  /** The next pass in `delayMs`, unless one is already due sooner. */
  private schedule(delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    if (this.timer !== undefined && this.nextAt <= at) return;
    clearTimeout(this.timer);
    this.nextAt = at;
    this.timer = setTimeout(() => this.tick(), delayMs);
  }

  private tick(): void {
    this.timer = undefined;
    this.nextAt = Infinity;
    if (this.stopped) return;
    void this.flush()
      .then(() => (Date.now() - this.lastPrune >= OUTBOX_PRUNE_EVERY_MS ? this.prune() : 0))
      .then(
        () => this.schedule(this.config.bus.outboxPollMs),
        (error: unknown) => {
          this.logger.warn({ err: error }, 'Outbox relay pass failed; will retry');
          this.schedule(OUTBOX_RETRY_MS);
        },
      );
  }

  /**
   * Deletes this service's rows published more than OUTBOX_RETENTION_MS ago, in bounded batches
   * (never a pending row). Returns how many went.
   */
  async prune(): Promise<number> {
    this.lastPrune = Date.now();
    if (!this.dataSource.isInitialized) return 0;
    let total = 0;
    for (let i = 0; i < PRUNE_MAX_STATEMENTS; i++) {
      const deleted = await this.dataSource.query<[unknown[], number] | unknown[]>(
        `WITH old AS (
           SELECT id FROM control.outbox
           WHERE producer = $1 AND published_at IS NOT NULL
             AND published_at < now() - make_interval(secs => $2::double precision / 1000)
           LIMIT $3)
         DELETE FROM control.outbox o USING old WHERE o.id = old.id RETURNING o.id`,
        [this.config.service, this.config.bus.outboxRetentionMs, PRUNE_BATCH],
      );
      const count = Array.isArray(deleted[0]) ? (deleted as [unknown[], number])[1] : deleted.length;
      total += count;
      if (count < PRUNE_BATCH) break;
    }
    if (total > 0) this.logger.info({ pruned: total }, 'Published outbox rows past retention deleted');
    return total;
  }

  /** Publishes every pending row now; concurrent calls share one pass (and trigger one more). */
  flush(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      do {
        this.again = false;
        // A pass that found less than a full batch found everything pending then (a writer that
        // commits later calls flush(), which sets `again`; rows another replica holds are its to publish).
        for (let n = await this.pass(); n > 0; n = n < BATCH ? 0 : await this.pass()) total += n;
      } while (this.again);
      return total;
    })().finally(() => {
      this.running = undefined;
    });
    // Whoever called flush() handles its failure; the relay retries soon in any case.
    this.running.catch(() => this.schedule(OUTBOX_RETRY_MS));
    return this.running;
  }

  private async pass(): Promise<number> {
    if (!this.dataSource.isInitialized) return 0;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const rows = (await runner.query(
        `SELECT id, topic, key, value, headers FROM control.outbox
         WHERE producer = $1 AND published_at IS NULL
         ORDER BY created_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [this.config.service, BATCH],
      )) as OutboxRow[];
      if (rows.length === 0) {
        await runner.commitTransaction();
        return 0;
      }
      try {
        await this.admin.ensureTopics([...new Set(rows.map((r) => this.names.physical(r.topic)))]);
        await Promise.all(rows.map((row) => this.publish(row)));
      } catch (error) {
        await runner.query(`UPDATE control.outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1)`, [
          rows.map((r) => r.id),
          error instanceof Error ? error.message.slice(0, 1000) : String(error),
        ]);
        await runner.commitTransaction();
        throw error;
      }
      await runner.query(`UPDATE control.outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1)`, [
        rows.map((r) => r.id),
      ]);
      await runner.commitTransaction();
      return rows.length;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Publishes one row under a producer span `send <topic>`, child of the `create <topic>` span the
   * row was written under (its stored traceparent); the message carries the send span's context, so
   * the consumer's span hangs under the publish: request → outbox → Kafka → consumer in one trace.
   */
  private async publish(row: OutboxRow): Promise<void> {
    const tenantId = row.headers[BusHeader.TenantId];
    const { span, traceparent } = startSpan(`send ${row.topic}`, {
      kind: SpanKind.PRODUCER,
      parent: contextFromHeaders(row.headers),
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': row.topic,
        'messaging.message.id': row.headers[BusHeader.MessageId] ?? row.id,
        'parley.outbox.relayed': true,
        ...(tenantId ? { [ATTR_TENANT_ID]: tenantId } : {}),
      },
    });
    try {
      await this.producer.sendRaw(this.names.physical(row.topic), {
        key: row.key,
        value: JSON.stringify(row.value),
        headers: traceparent ? { ...row.headers, [BusHeader.Traceparent]: traceparent } : row.headers,
      });
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  }
}
