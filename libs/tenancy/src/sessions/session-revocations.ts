import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import {
  revokedSessionKey,
  SESSION_REVOKED_CHANNEL,
  sessionRevokedMessageSchema,
  type SessionRevokedMessage,
} from '@parley/contracts';
import { REDIS } from '../redis/redis.module';

/** Longest a request waits on the revocation check. */
const CHECK_TIMEOUT_MS = 250;

/** The name of the connection that hears revocations (`CLIENT LIST` shows it; fault tests kill it). */
export const SUBSCRIBER_CONNECTION_NAME = 'parley-session-revocations';

/** A revoked session: its tenant and id. */
export interface RevokedSession {
  tenantId: string;
  sessionId: string;
}

/**
 * The revocation set in Redis that every gateway checks on every request (see
 * `SESSION_REVOKED_CHANNEL`): auth adds sessions (`revoke`) after it revoked them in its database;
 * the gateway asks `isRevoked` (one EXISTS) and listens (`listen`) to close open WebSockets at once.
 */
@Injectable()
export class SessionRevocations {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Marks the sessions revoked for `ttlSeconds` (the access-token lifetime) and announces them. */
  async revoke(sessions: readonly RevokedSession[], ttlSeconds: number): Promise<void> {
    if (sessions.length === 0) return;
    const multi = this.redis.multi();
    const byTenant = new Map<string, string[]>();
    for (const { tenantId, sessionId } of sessions) {
      multi.set(revokedSessionKey(tenantId, sessionId), '1', 'EX', ttlSeconds);
      byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), sessionId]);
    }
    for (const [tenantId, sessionIds] of byTenant) {
      const message: SessionRevokedMessage = { tenantId, sessionIds };
      multi.publish(SESSION_REVOKED_CHANNEL, JSON.stringify(message));
    }
    await multi.exec();
  }

  /**
   * Whether the session is in the set: `unknown` when Redis is not connected, fails, or does not
   * answer within CHECK_TIMEOUT_MS (the caller decides; the gateway serves on, as its rate limits do).
   */
  async isRevoked(tenantId: string, sessionId: string): Promise<'revoked' | 'live' | 'unknown'> {
    if (this.redis.status !== 'ready') return 'unknown';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'unknown'>((resolve) => {
      timer = setTimeout(() => resolve('unknown'), CHECK_TIMEOUT_MS);
    });
    const check = this.redis.exists(revokedSessionKey(tenantId, sessionId)).then(
      (n) => (n === 1 ? ('revoked' as const) : ('live' as const)),
      () => 'unknown' as const,
    );
    try {
      return await Promise.race([check, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Which of the sessions are in the set, in one round trip (the sessions whose answer is unknown,
   * because Redis fails, are left out: the caller tries again at the next reconnect).
   */
  async revokedAmong(sessions: readonly RevokedSession[]): Promise<RevokedSession[]> {
    if (sessions.length === 0 || this.redis.status !== 'ready') return [];
    const pipeline = this.redis.pipeline();
    for (const { tenantId, sessionId } of sessions) pipeline.exists(revokedSessionKey(tenantId, sessionId));
    const answers = (await pipeline.exec()) ?? [];
    return sessions.filter((_, i) => {
      const [error, count] = answers[i] ?? [new Error('no answer'), 0];
      return !error && count === 1;
    });
  }

  /**
   * Calls `onRevoked` for every announced revocation, on a connection of its own (a subscribed
   * connection can do nothing else). Resolves once subscribed, with the function that stops listening.
   * Announcements made while the subscription is down are lost; `onResubscribed` is called each time
   * the connection is back after a loss, so the caller can check what it holds against the set itself
   * (`revokedAmong`).
   */
  async listen(
    onRevoked: (message: SessionRevokedMessage) => void,
    onResubscribed: () => void = () => undefined,
  ): Promise<() => Promise<void>> {
    // Not lazy: ioredis queues the subscription until connected and subscribes again after a reconnect.
    const subscriber = this.redis.duplicate({
      lazyConnect: false,
      maxRetriesPerRequest: null,
      connectionName: SUBSCRIBER_CONNECTION_NAME,
    });
    subscriber.on('error', () => undefined); // ioredis reconnects and subscribes again
    let lost = false;
    subscriber.on('close', () => (lost = true));
    subscriber.on('ready', () => {
      if (!lost) return;
      lost = false;
      // ioredis has sent SUBSCRIBE again before 'ready' is emitted; a PING answered on the same
      // connection proves it applies, so every announcement from here on is heard and every earlier
      // one is already in the set the caller checks.
      subscriber.ping().then(onResubscribed, () => undefined);
    });
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== SESSION_REVOKED_CHANNEL) return;
      const parsed = sessionRevokedMessageSchema.safeParse(safeJson(raw));
      if (parsed.success) onRevoked(parsed.data);
    });
    await subscriber.subscribe(SESSION_REVOKED_CHANNEL);
    return async () => {
      await subscriber.quit().catch(() => subscriber.disconnect());
    };
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
