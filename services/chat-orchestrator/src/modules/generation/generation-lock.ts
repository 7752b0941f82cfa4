import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS, tenantKey } from '@parley/tenancy';

/** A lock lives this long unless renewed: a replica that dies frees its conversations within it. */
export const LOCK_TTL_MS = 30_000;
const RENEW_EVERY_MS = 10_000;

/** How long a conversation remembers the last answer that released its lock. */
const LAST_ENDED_TTL_MS = 24 * 60 * 60_000;

/** KEYS: lock, last ended. ARGV: holder, TTL. Returns {1, last ended holder or false} when taken, {0} when held. */
const ACQUIRE = `
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {0} end
return {1, redis.call('GET', KEYS[2])}`;
/** KEYS: lock, last ended. ARGV: holder, last-ended TTL, '1' when the holder stored an answer. */
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '1' then redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2]) end
return redis.call('DEL', KEYS[1])`;
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

interface WithScripts {
  parleyChatLockAcquire(key: string, lastKey: string, holder: string, ttlMs: number): Promise<[number, string | null]>;
  parleyChatLockRelease(key: string, lastKey: string, holder: string, lastTtlMs: number, answered: '0' | '1'): Promise<number>;
  parleyChatLockRenew(key: string, holder: string, ttlMs: number): Promise<number>;
}

/** One generation per conversation, across replicas. */
export interface HeldLock {
  readonly key: string;
  /** `<instanceId>:<assistant message id>`: who holds it. */
  readonly holder: string;
  /**
   * The assistant message of the generation that released this lock last (within a day), if any:
   * a history read that already shows it ended is not older than that generation.
   */
  readonly lastEnded: string | null;
  /** `answered: false` when this generation stored no answer (refused before it began). */
  release(options?: { answered: boolean }): Promise<void>;
}

/**
 * The per-conversation generation lock: Redis `<tenantId>:chat:generation:<conversationId>`, taken
 * with `SET NX PX` and renewed while the answer streams; released only by its holder.
 */
@Injectable()
export class GenerationLocks {
  constructor(@Inject(REDIS) private readonly redis: Redis) {
    if (!('parleyChatLockRelease' in redis)) {
      redis.defineCommand('parleyChatLockAcquire', { numberOfKeys: 2, lua: ACQUIRE });
      redis.defineCommand('parleyChatLockRelease', { numberOfKeys: 2, lua: RELEASE });
      redis.defineCommand('parleyChatLockRenew', { numberOfKeys: 1, lua: RENEW });
    }
  }

  static key(tenantId: string, conversationId: string): string {
    return tenantKey(tenantId, 'chat', 'generation', conversationId);
  }

  private static lastEndedKey(tenantId: string, conversationId: string): string {
    return tenantKey(tenantId, 'chat', 'generation-ended', conversationId);
  }

  /**
   * The lock, or null when another generation of this conversation holds it. It is renewed for at
   * most `maxHoldMs` (a generation's bound plus time to store it), so even a lock never released
   * by mistake expires.
   */
  async acquire(tenantId: string, conversationId: string, holder: string, maxHoldMs: number): Promise<HeldLock | null> {
    const key = GenerationLocks.key(tenantId, conversationId);
    const lastKey = GenerationLocks.lastEndedKey(tenantId, conversationId);
    const scripts = this.redis as unknown as WithScripts;
    const [taken, lastHolder] = await scripts.parleyChatLockAcquire(key, lastKey, holder, LOCK_TTL_MS);
    if (taken !== 1) return null;
    const renewUntil = Date.now() + maxHoldMs;
    const renewal = setInterval(() => {
      if (Date.now() > renewUntil) return clearInterval(renewal);
      void scripts.parleyChatLockRenew(key, holder, LOCK_TTL_MS).catch(() => undefined);
    }, RENEW_EVERY_MS);
    renewal.unref();
    let released = false;
    return {
      key,
      holder,
      lastEnded: typeof lastHolder === 'string' ? lastHolder.slice(lastHolder.lastIndexOf(':') + 1) : null,
      release: async (options = { answered: true }) => {
        if (released) return;
        released = true;
        clearInterval(renewal);
        const answered = options.answered ? '1' : '0';
        await scripts.parleyChatLockRelease(key, lastKey, holder, LAST_ENDED_TTL_MS, answered).catch(() => undefined);
      },
    };
  }

  /** Who holds a conversation's lock now, if anyone. */
  holder(tenantId: string, conversationId: string): Promise<string | null> {
    return this.redis.get(GenerationLocks.key(tenantId, conversationId));
  }

  /** Waits until `holder` no longer holds the lock; false if it still does after `timeoutMs`. */
  async waitReleased(tenantId: string, conversationId: string, holder: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.holder(tenantId, conversationId)) !== holder) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
