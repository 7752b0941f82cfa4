import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS, TenantContext, TenantDb, tenantKey } from '@parley/tenancy';
import { MessagesRepository } from '../conversations/messages.repository';
import { monthWindow } from './quota-window';

/**
 * A rebuilt counter lives this long, then is rebuilt from the messages table again: the table is
 * the truth, the counter a hot copy, so any drift (a completion racing a rebuild) heals within it.
 */
export const TOKEN_COUNTER_TTL_SECONDS = 3600;

/** Adds only to a counter that exists: a missing one is rebuilt from the table, which has the tokens. */
const ADD_IF_PRESENT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return -1`;

interface WithScript {
  parleyChatAddTokens(key: string, tokens: number): Promise<number>;
}

/**
 * Tokens a tenant used this month (UTC): Redis `<tenantId>:chat:tokens:<YYYY-MM>`, rebuilt from the
 * completed answers in the tenant's `messages` when missing.
 */
@Injectable()
export class TokenUsageStore {
  private readonly rebuilding = new Map<string, Promise<number>>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly db: TenantDb,
    private readonly messages: MessagesRepository,
  ) {
    if (!('parleyChatAddTokens' in redis)) {
      redis.defineCommand('parleyChatAddTokens', { numberOfKeys: 1, lua: ADD_IF_PRESENT });
    }
  }

  static key(tenantId: string, now: Date): string {
    return tenantKey(tenantId, 'chat', 'tokens', monthWindow(now).key);
  }

  async used(tenantId: string, now = new Date()): Promise<number> {
    const cached = await this.redis.get(TokenUsageStore.key(tenantId, now));
    return cached === null ? this.rebuild(tenantId, now) : Number(cached);
  }

  /**
   * Counts the month from the table and stores it, unless another replica stored it first.
   * Concurrent rebuilds of one counter on this replica share one query.
   */
  rebuild(tenantId: string, now = new Date()): Promise<number> {
    const key = TokenUsageStore.key(tenantId, now);
    const running = this.rebuilding.get(key);
    if (running) return running;
    const rebuilt = this.count(tenantId, now).finally(() => this.rebuilding.delete(key));
    this.rebuilding.set(key, rebuilt);
    return rebuilt;
  }

  private async count(tenantId: string, now: Date): Promise<number> {
    const month = monthWindow(now);
    const total = await TenantContext.run(tenantId, () =>
      this.db.run((scope) => this.messages.tokensCompletedBetween(scope, month.start, month.resetAt)),
    );
    const key = TokenUsageStore.key(tenantId, now);
    const stored = await this.redis.set(key, total, 'EX', TOKEN_COUNTER_TTL_SECONDS, 'NX');
    if (stored === 'OK') return total;
    return Number((await this.redis.get(key)) ?? total);
  }

  /** Adds a completed answer's tokens (after its row committed). */
  async add(tenantId: string, tokens: number, now = new Date()): Promise<void> {
    if (tokens <= 0) return;
    await (this.redis as unknown as WithScript).parleyChatAddTokens(TokenUsageStore.key(tenantId, now), tokens);
  }
}
