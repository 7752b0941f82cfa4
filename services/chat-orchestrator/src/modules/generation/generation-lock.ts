import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS, REDIS_FAIL_FAST, tenantKey } from '@parley/tenancy';

/** A lock lives this long unless renewed: a replica that dies frees its conversations within it. */
export const LOCK_TTL_MS = 30_000;
const RENEW_EVERY_MS = 10_000;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

interface WithScripts {
  parleyChatLockRelease(key: string, holder: string): Promise<number>;
  parleyChatLockRenew(key: string, holder: string, ttlMs: number): Promise<number>;
}

/** One generation per conversation, across replicas. */
export interface HeldLock {
  readonly key: string;
  /** `<instanceId>:<assistant message id>`: who holds it. */
  readonly holder: string;
  release(): Promise<void>;
}

/**
 * The per-conversation generation lock: Redis `<tenantId>:chat:generation:<conversationId>`, taken
 * with `SET NX PX` and renewed while the answer streams; released only by its holder.
 */
@Injectable()
export class GenerationLocks {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    // Taking the lock is on the request path: without Redis it fails at once (503), not after seconds.
    @Inject(REDIS_FAIL_FAST) private readonly requestPath: Redis,
  ) {
    if (!('parleyChatLockRelease' in redis)) {
      redis.defineCommand('parleyChatLockRelease', { numberOfKeys: 1, lua: RELEASE });
      redis.defineCommand('parleyChatLockRenew', { numberOfKeys: 1, lua: RENEW });
    }
  }

  static key(tenantId: string, conversationId: string): string {
    return tenantKey(tenantId, 'chat', 'generation', conversationId);
  }

  /**
   * The lock, or null when another generation of this conversation holds it. It is renewed for at
   * most `maxHoldMs` (a generation's bound plus time to store it), so even a lock never released
   * by mistake expires.
   */
  async acquire(tenantId: string, conversationId: string, holder: string, maxHoldMs: number): Promise<HeldLock | null> {
    const key = GenerationLocks.key(tenantId, conversationId);
    const taken = await this.requestPath.set(key, holder, 'PX', LOCK_TTL_MS, 'NX');
    if (taken !== 'OK') return null;
    const scripts = this.redis as unknown as WithScripts;
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
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(renewal);
        await scripts.parleyChatLockRelease(key, holder).catch(() => undefined);
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
