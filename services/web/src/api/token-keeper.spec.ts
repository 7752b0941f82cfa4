import type { TokenResponse } from '@parley/contracts';
import { describe, expect, it } from 'vitest';
import { refreshDelayMs, TokenKeeper, type Clock } from './token-keeper';

/** A clock whose timers run only when the test advances it. */
class ManualClock implements Clock {
  time = 1_000_000;
  private timers: { at: number; run: () => void; id: number }[] = [];
  private nextId = 1;

  now(): number {
    return this.time;
  }
  setTimeout(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, run, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  get pending(): number[] {
    return this.timers.map((t) => t.at - this.time);
  }
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    due.forEach((t) => t.run());
  }
}

class Refusal extends Error {
  constructor(readonly status: number) {
    super(`refused ${status}`);
  }
}

const tokens = (n: number, expiresIn = 900): TokenResponse => ({
  accessToken: `access-${n}`,
  tokenType: 'Bearer',
  expiresIn,
});

/** A refresh endpoint whose answers the test releases one by one. */
function server() {
  const calls: { resolve: (t: TokenResponse) => void; reject: (e: unknown) => void }[] = [];
  const renew = () => new Promise<TokenResponse>((resolve, reject) => calls.push({ resolve, reject }));
  return { calls, renew };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('refreshDelayMs', () => {
  it('renews a minute before expiry, or at 80% of a short lifetime', () => {
    expect(refreshDelayMs(900)).toBe(840_000);
    expect(refreshDelayMs(60)).toBe(48_000);
    expect(refreshDelayMs(0)).toBe(0);
  });
});

describe('TokenKeeper', () => {
  it('keeps the access token in memory and schedules the renewal before it expires', async () => {
    const clock = new ManualClock();
    const { calls, renew } = server();
    const keeper = new TokenKeeper(renew, () => undefined, clock);
    keeper.accept(tokens(1));
    expect(keeper.token).toBe('access-1');
    expect(clock.pending).toEqual([840_000]);

    clock.advance(839_999);
    expect(calls).toHaveLength(0);
    clock.advance(1);
    expect(calls).toHaveLength(1);
    calls[0]?.resolve(tokens(2));
    await flush();
    expect(keeper.token).toBe('access-2');
    expect(clock.pending).toEqual([840_000]);
  });

  it('shares one refresh between concurrent callers, so a rotating refresh token is spent once', async () => {
    const clock = new ManualClock();
    const { calls, renew } = server();
    const keeper = new TokenKeeper(renew, () => undefined, clock);
    keeper.accept(tokens(1, 60));
    clock.advance(59_500); // within a second of expiry: not fresh any more
    const a = keeper.current();
    const b = keeper.current();
    const c = keeper.refresh();
    expect(calls).toHaveLength(1);
    calls[0]?.resolve(tokens(2));
    expect(await Promise.all([a, b, c])).toEqual(['access-2', 'access-2', 'access-2']);
  });

  it('answers with the token in memory while it is fresh, without asking the server', async () => {
    const { calls, renew } = server();
    const keeper = new TokenKeeper(renew, () => undefined, new ManualClock());
    keeper.accept(tokens(1));
    expect(await keeper.current()).toBe('access-1');
    expect(calls).toHaveLength(0);
  });

  it('ends the session when the server refuses the refresh, and says so once', async () => {
    const clock = new ManualClock();
    const { calls, renew } = server();
    let ended = 0;
    const keeper = new TokenKeeper(renew, () => ended++, clock);
    keeper.accept(tokens(1));
    const result = keeper.refresh();
    calls[0]?.reject(new Refusal(401));
    expect(await result).toBeNull();
    expect(keeper.token).toBeNull();
    expect(keeper.hasSession).toBe(false);
    expect(ended).toBe(1);
    expect(clock.pending).toEqual([]);
    // Without a session nothing is asked any more.
    expect(await keeper.current()).toBeNull();
    expect(calls).toHaveLength(1);
  });

  it('keeps the session through a network failure and tries again later', async () => {
    const clock = new ManualClock();
    const { calls, renew } = server();
    let ended = 0;
    const keeper = new TokenKeeper(renew, () => ended++, clock);
    keeper.accept(tokens(1));
    clock.advance(840_000);
    calls[0]?.reject(new TypeError('fetch failed'));
    await flush();
    expect(ended).toBe(0);
    expect(keeper.hasSession).toBe(true);
    expect(clock.pending).toEqual([15_000]);
    clock.advance(15_000);
    expect(calls).toHaveLength(2);
  });

  it('a restore that finds no cookie is not a session that ended', async () => {
    const { calls, renew } = server();
    let ended = 0;
    const keeper = new TokenKeeper(renew, () => ended++, new ManualClock());
    const restored = keeper.refresh();
    calls[0]?.reject(new Refusal(401));
    expect(await restored).toBeNull();
    expect(ended).toBe(0);
  });

  it('sign-out stops renewing, and a refresh answered after sign-out does not revive the session', async () => {
    const clock = new ManualClock();
    const { calls, renew } = server();
    const keeper = new TokenKeeper(renew, () => undefined, clock);
    keeper.accept(tokens(1));
    const late = keeper.refresh();
    keeper.clear();
    expect(clock.pending).toEqual([]);
    calls[0]?.resolve(tokens(2));
    await late;
    expect(keeper.token).toBeNull();
    expect(keeper.hasSession).toBe(false);
  });
});
