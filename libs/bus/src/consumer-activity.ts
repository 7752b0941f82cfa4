import type { Consumer } from 'kafkajs';

/**
 * Whether a joined consumer is still really consuming: kafkajs reports every fetch (one per
 * `BUS_FETCH_MAX_WAIT_MS` when idle), heartbeat and batch. A consumer that did none of these for
 * `staleMs` (config keeps it at least two idle fetches long), and is not in the middle of a batch, is not consuming (broker gone, group lost,
 * restart backoff), whatever its start-up state says.
 */
export class ConsumerActivity {
  private last = Date.now();
  private batches = 0;

  constructor(
    private readonly staleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts the consumer's fetches, heartbeats, joins and batches as signs of life. */
  watch(consumer: Consumer): void {
    const { FETCH, HEARTBEAT, GROUP_JOIN, START_BATCH_PROCESS, END_BATCH_PROCESS } = consumer.events;
    for (const event of [FETCH, HEARTBEAT, GROUP_JOIN, START_BATCH_PROCESS, END_BATCH_PROCESS]) {
      consumer.on(event, () => this.touch());
    }
  }

  touch(): void {
    this.last = this.now();
  }

  /** Runs a batch: a long handler is not mistaken for a dead consumer. */
  async batch<T>(work: () => Promise<T>): Promise<T> {
    this.batches++;
    this.touch();
    try {
      return await work();
    } finally {
      this.batches--;
      this.touch();
    }
  }

  /** Throws when the consumer has shown no life for longer than `staleMs`. */
  assertAlive(): void {
    if (this.batches > 0) return;
    const idle = this.now() - this.last;
    if (idle > this.staleMs) {
      throw new Error(`consumer group not fetching: no fetch or heartbeat for ${(idle / 1000).toFixed(1)} s`);
    }
  }
}
