import { describe, expect, it } from 'vitest';
import { ForwardingQueue } from './forwarding-queue';
import type { ProductEvent } from './product-event';
import type { AnalyticsSink } from './sinks/analytics-sink';

const event = (i: number): ProductEvent => ({
  insertId: `e${i}`,
  tenantId: 't',
  distinctId: 'u',
  name: 'usage recorded',
  timestamp: '2025-03-01T00:00:00Z',
  properties: {},
});

class ScriptedSink implements AnalyticsSink {
  readonly name = 'scripted';
  readonly batches: string[][] = [];
  failures = 0;
  /** Resolves a held send (to fill the queue while one batch is in flight). */
  hold: Promise<void> | undefined;
  async send(batch: readonly ProductEvent[]): Promise<void> {
    await this.hold;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('provider down');
    }
    this.batches.push(batch.map((e) => e.insertId));
  }
  async close(): Promise<void> {}
}

function counters() {
  const c = { sent: 0, queue_full: 0, send_failed: 0 };
  return {
    c,
    counters: {
      sent: (n: number) => void (c.sent += n),
      dropped: (reason: 'queue_full' | 'send_failed', n: number) => void (c[reason] += n),
    },
  };
}

describe('ForwardingQueue', () => {
  it('sends full batches in order and the rest on drain', async () => {
    const sink = new ScriptedSink();
    const { c, counters: k } = counters();
    const q = new ForwardingQueue(sink, { max: 100, batchSize: 2, flushIntervalMs: 60_000, maxAttempts: 1 }, k);
    for (let i = 0; i < 5; i++) q.push(event(i));
    await q.drain();
    expect(sink.batches).toEqual([['e0', 'e1'], ['e2', 'e3'], ['e4']]);
    expect(c).toEqual({ sent: 5, queue_full: 0, send_failed: 0 });
  });

  it('never blocks: beyond its bound a push returns at once, drops the event and counts it', async () => {
    const sink = new ScriptedSink();
    let release!: () => void;
    sink.hold = new Promise((resolve) => (release = resolve));
    const { c, counters: k } = counters();
    const q = new ForwardingQueue(sink, { max: 3, batchSize: 3, flushIntervalMs: 60_000, maxAttempts: 1 }, k);
    const accepted = [0, 1, 2, 3, 4].map((i) => q.push(event(i)));
    expect(accepted).toEqual([true, true, true, false, false]);
    expect(c.queue_full).toBe(2);
    release();
    await q.drain();
    expect(sink.batches).toEqual([['e0', 'e1', 'e2']]);
  });

  it('retries a failed batch with backoff, then drops it (counted) and goes on with the next', async () => {
    const sink = new ScriptedSink();
    const { c, counters: k } = counters();
    const opts = { max: 100, batchSize: 1, flushIntervalMs: 60_000, maxAttempts: 3, retryBaseMs: 1 };
    const q = new ForwardingQueue(sink, opts, k);
    sink.failures = 2;
    q.push(event(0));
    await q.drain();
    expect(sink.batches).toEqual([['e0']]);
    sink.failures = 3;
    q.push(event(1));
    q.push(event(2));
    await q.drain();
    expect(sink.batches).toEqual([['e0'], ['e2']]);
    expect(c).toEqual({ sent: 2, queue_full: 0, send_failed: 1 });
  });
});
