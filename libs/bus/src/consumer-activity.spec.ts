import { describe, expect, it } from 'vitest';
import { ConsumerActivity } from './consumer-activity';

describe('ConsumerActivity', () => {
  it('is alive while it fetches, stale after staleMs without a sign of life, alive again after one', () => {
    let now = 0;
    const activity = new ConsumerActivity(5000, () => now);
    activity.touch();
    now = 5000;
    expect(() => activity.assertAlive()).not.toThrow();
    now = 6500;
    expect(() => activity.assertAlive()).toThrow('consumer group not fetching: no fetch or heartbeat for 6.5 s');
    activity.touch();
    expect(() => activity.assertAlive()).not.toThrow();
  });

  it('is alive during a batch however long it runs, and stale after it if nothing follows', async () => {
    let now = 0;
    const activity = new ConsumerActivity(1000, () => now);
    let finish: () => void = () => undefined;
    const batch = activity.batch(() => new Promise<void>((resolve) => (finish = resolve)));
    now = 60_000;
    expect(() => activity.assertAlive()).not.toThrow();
    finish();
    await batch;
    expect(() => activity.assertAlive()).not.toThrow();
    now = 61_500;
    expect(() => activity.assertAlive()).toThrow(/no fetch or heartbeat for 1\.5 s/);
  });
});
