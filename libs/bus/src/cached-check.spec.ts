import { describe, expect, it } from 'vitest';
import { cachedCheck } from './cached-check';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('cachedCheck', () => {
  it('reuses a success and a failure for the ttl, then runs the check again', async () => {
    let runs = 0;
    let fail = false;
    const check = cachedCheck(
      () => {
        runs++;
        return fail ? Promise.reject(new Error('broker down')) : Promise.resolve();
      },
      60,
      1000,
    );
    await check();
    await check();
    expect(runs).toBe(1);
    fail = true;
    await check(); // still the cached success
    await tick(80);
    await expect(check()).rejects.toThrow('broker down');
    await expect(check()).rejects.toThrow('broker down');
    expect(runs).toBe(2);
    fail = false;
    await tick(80);
    await expect(check()).resolves.toBeUndefined();
    expect(runs).toBe(3);
  });

  it('shares one run in flight between callers, and a caller waits at most the timeout for it', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const check = cachedCheck(
      () => {
        runs++;
        return new Promise<void>((resolve) => (release = resolve));
      },
      1000,
      30,
    );
    await expect(check()).rejects.toThrow('no answer within 30 ms');
    await expect(check()).rejects.toThrow('no answer within 30 ms');
    expect(runs).toBe(1);
    release();
    await tick(0);
    await expect(check()).resolves.toBeUndefined();
    expect(runs).toBe(1);
  });
});
