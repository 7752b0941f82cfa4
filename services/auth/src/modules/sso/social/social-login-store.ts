import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { SOCIAL_STATE_TTL_SECONDS, socialProviderSchema } from '@parley/contracts';
import { REDIS } from '@parley/tenancy';

const pendingSchema = z.object({
  provider: socialProviderSchema,
  /** The PKCE verifier (both kinds) and the OIDC nonce ('' for GitHub, which has no id_token). */
  verifier: z.string(),
  nonce: z.string(),
  redirectTo: z.string(),
});
/** A social login started and not yet finished. */
export type PendingSocialLogin = z.infer<typeof pendingSchema>;

/**
 * Pending social logins in Redis (shared by replicas), keyed by a random `state`, for
 * SOCIAL_STATE_TTL_SECONDS. The callback takes its state with GETDEL: a state is used once, and
 * only at the provider it was issued for.
 */
@Injectable()
export class SocialLoginStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Saves the login under a new random state, which it answers. */
  async save(pending: PendingSocialLogin): Promise<string> {
    const state = randomBytes(32).toString('base64url');
    await this.redis.set(this.key(state), JSON.stringify(pending), 'EX', SOCIAL_STATE_TTL_SECONDS, 'NX');
    return state;
  }

  async take(provider: string, state: string | undefined): Promise<PendingSocialLogin | null> {
    if (!state || state.length > 128) return null;
    const raw = await this.redis.getdel(this.key(state));
    if (raw === null) return null;
    const parsed = pendingSchema.safeParse(JSON.parse(raw));
    return parsed.success && parsed.data.provider === provider ? parsed.data : null;
  }

  private key(state: string): string {
    return `auth:social:state:${state}`;
  }
}
