import { describe, expect, it } from 'vitest';
import { createLogger } from '@parley/observability';
import { ConsumerStartup } from './consumer-startup';

const log = createLogger('tenant', 'silent');

describe('ConsumerStartup', () => {
  it('says "consumers joining" at once, "waiting for dependencies" while one fails, until it consumes', async () => {
    const stages: string[] = [];
    let dependencyTries = 0;
    let release: () => void = () => undefined;
    const joined = new Promise<void>((resolve) => (release = resolve));
    const startup = new ConsumerStartup(
      {
        dependencies: () => {
          dependencyTries++;
          return dependencyTries < 2 ? Promise.reject(new Error('postgres not ready')) : Promise.resolve();
        },
        join: () => joined,
        cleanup: () => Promise.resolve(),
      },
      log,
    );
    stages.push(startup.state);
    await expect(startup.check()).rejects.toThrow(/^consumers joining$/);
    const running = startup.run();
    const stateNow = (): string => startup.state;
    while (stateNow() !== 'waiting for dependencies') await new Promise((r) => setTimeout(r, 5));
    await expect(startup.check()).rejects.toThrow(/^waiting for dependencies \(last error: postgres not ready\)/);
    while (stateNow() !== 'consumers joining') await new Promise((r) => setTimeout(r, 20));
    await expect(startup.check()).rejects.toThrow(/^consumers joining \(last error: postgres not ready\)/);
    release();
    await running;
    await expect(startup.check()).resolves.toBeUndefined();
    expect(dependencyTries).toBe(2);
    expect(stages).toEqual(['consumers joining']);
  });

  it('retries a failed join after cleaning up, and stops trying once closed', async () => {
    let joins = 0;
    let cleanups = 0;
    const startup = new ConsumerStartup(
      {
        dependencies: () => Promise.resolve(),
        join: () => (++joins < 3 ? Promise.reject(new Error('broker down')) : Promise.resolve()),
        cleanup: () => {
          cleanups++;
          return Promise.resolve();
        },
      },
      log,
    );
    await startup.run();
    expect(startup.state).toBe('consuming');
    expect([joins, cleanups]).toEqual([3, 2]);
    startup.close();
    await expect(startup.check()).rejects.toThrow('stopped');
  });
});
