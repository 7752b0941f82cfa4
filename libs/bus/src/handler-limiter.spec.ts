import { describe, expect, it } from 'vitest';
import { HandlerLimiter } from './handler-limiter';

describe('HandlerLimiter', () => {
  it('never runs more than its limit at once, and runs everything', async () => {
    const limiter = new HandlerLimiter(3);
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setImmediate(r));
          running--;
          done.push(i);
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('frees its slot when the work fails', async () => {
    const limiter = new HandlerLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('takes half the pool for a service with a database, and the unbounded value otherwise', () => {
    expect(HandlerLimiter.forPool(10, 96).limit).toBe(5);
    expect(HandlerLimiter.forPool(1, 96).limit).toBe(1);
    expect(HandlerLimiter.forPool(undefined, 96).limit).toBe(96);
  });
});
