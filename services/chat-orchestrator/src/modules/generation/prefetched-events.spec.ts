import { describe, expect, it } from 'vitest';
import { PrefetchedEvents } from './prefetched-events';

async function* source(items: number[], options: { failAfter?: boolean; pulled?: number[] } = {}) {
  for (const item of items) {
    options.pulled?.push(item);
    yield item;
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (options.failAfter) throw new Error('source failed');
}

describe('PrefetchedEvents', () => {
  it('consumes the source before anyone iterates and hands over every item in order', async () => {
    const pulled: number[] = [];
    const events = new PrefetchedEvents(source([1, 2, 3, 4], { pulled }));
    await events.settled;
    expect(pulled).toEqual([1, 2, 3, 4]);
    const seen: number[] = [];
    for await (const item of events) seen.push(item);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('waits for items that come after the consumer started', async () => {
    const events = new PrefetchedEvents(source([1, 2, 3]));
    const seen: number[] = [];
    for await (const item of events) seen.push(item);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('throws the source error after the items before it', async () => {
    const events = new PrefetchedEvents(source([1, 2], { failAfter: true }));
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of events) seen.push(item);
      })(),
    ).rejects.toThrow('source failed');
    expect(seen).toEqual([1, 2]);
    await expect(events.settled).resolves.toBeUndefined();
  });
});
