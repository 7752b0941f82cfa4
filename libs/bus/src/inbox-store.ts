import type { Redis } from 'ioredis';

const TTL_SECONDS = 7 * 24 * 3600;

/**
 * Remembers which message ids a consumer group has handled, so a redelivered message has its
 * effect once. Keys start with the tenant id (or `platform` for tenant-less messages).
 */
export class InboxStore {
  constructor(private readonly redis: Redis) {}

  private key(group: string, messageId: string, tenantId: string | undefined): string {
    return `${tenantId ?? 'platform'}:bus:inbox:${group}:${messageId}`;
  }

  async seen(group: string, messageId: string, tenantId: string | undefined): Promise<boolean> {
    return (await this.redis.exists(this.key(group, messageId, tenantId))) === 1;
  }

  async markDone(group: string, messageId: string, tenantId: string | undefined): Promise<void> {
    await this.redis.set(this.key(group, messageId, tenantId), '1', 'EX', TTL_SECONDS);
  }
}
