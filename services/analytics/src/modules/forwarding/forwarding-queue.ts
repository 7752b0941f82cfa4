import type { ProductEvent } from './product-event';
import type { AnalyticsSink } from './sinks/analytics-sink';

export interface ForwardingQueueOptions {
  /** Events waiting at most; a push beyond it drops the event (counted), never waits. */
  max: number;
  batchSize: number;
  flushIntervalMs: number;
  /** Attempts per batch (the first included) before it is dropped (counted). */
  maxAttempts: number;
  /** First retry delay; doubles per attempt. */
  retryBaseMs?: number;
}

export interface ForwardingCounters {
  sent(n: number): void;
  dropped(reason: 'queue_full' | 'send_failed', n: number): void;
}

/**
 * A bounded in-memory queue in front of a provider: `push` is synchronous and never blocks (a full
 * queue drops the event and counts it); one sender at a time takes batches of `batchSize`, as soon
 * as a batch is full or `flushIntervalMs` after the first waiting event; a failed batch is retried
 * with doubling backoff, then dropped and counted. Events of a failed batch keep their place.
 */
export class ForwardingQueue {
  private readonly waiting: ProductEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly sink: AnalyticsSink,
    private readonly options: ForwardingQueueOptions,
    private readonly counters: ForwardingCounters,
  ) {}

  get size(): number {
    return this.waiting.length;
  }

  push(event: ProductEvent): boolean {
    if (this.closed || this.waiting.length >= this.options.max) {
      this.counters.dropped('queue_full', 1);
      return false;
    }
    this.waiting.push(event);
    if (this.waiting.length >= this.options.batchSize) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.options.flushIntervalMs);
    return true;
  }

  /** Sends everything waiting now (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.sending || this.waiting.length > 0) {
      this.kick();
      await this.sending;
    }
  }

  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
    clearTimeout(this.timer);
    await this.sink.close();
  }

  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.sending || this.waiting.length === 0) return;
    this.sending = this.sendAll().finally(() => {
      this.sending = undefined;
      if (this.waiting.length > 0) this.timer ??= setTimeout(() => this.kick(), this.options.flushIntervalMs);
    });
  }

  private async sendAll(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.slice(0, this.options.batchSize);
      if (await this.sendWithRetries(batch)) this.counters.sent(batch.length);
      else this.counters.dropped('send_failed', batch.length);
      this.waiting.splice(0, batch.length);
      if (this.waiting.length < this.options.batchSize) return;
    }
  }

  private async sendWithRetries(batch: readonly ProductEvent[]): Promise<boolean> {
    const base = this.options.retryBaseMs ?? 200;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.sink.send(batch);
        return true;
      } catch {
        if (attempt >= this.options.maxAttempts) return false;
        await new Promise((resolve) => setTimeout(resolve, base * 2 ** (attempt - 1)));
      }
    }
  }
}
