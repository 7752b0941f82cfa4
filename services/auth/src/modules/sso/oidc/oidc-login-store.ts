import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { OIDC_LIMITS } from '@parley/contracts';
import { REDIS, tenantKey } from '@parley/tenancy';

const pendingSchema = z.object({
  nonce: z.string(),
  verifier: z.string(),
  redirectTo: z.string(),
  test: z.boolean(),
});
/** A login started and not yet finished: what the callback needs to check and go on. */
export type PendingOidcLogin = z.infer<typeof pendingSchema>;

/**
 * Pending OIDC logins in Redis (shared by replicas), keyed by tenant and `state`, for
 * OIDC_LIMITS.stateTtlSeconds. The callback takes its state with GETDEL: a state is used once, and
 * a state of tenant A is unknown at tenant B's callback.
 */
@Injectable()
export class OidcLoginStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async save(tenantId: string, state: string, pending: PendingOidcLogin): Promise<void> {
    await this.redis.set(this.key(tenantId, state), JSON.stringify(pending), 'EX', OIDC_LIMITS.stateTtlSeconds, 'NX');
  }

  async take(tenantId: string, state: string): Promise<PendingOidcLogin | null> {
    const raw = await this.redis.getdel(this.key(tenantId, state));
    if (raw === null) return null;
    const parsed = pendingSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  private key(tenantId: string, state: string): string {
    return tenantKey(tenantId, 'sso', 'oidc', 'state', state);
  }
}
