import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type DomainException, revokedSessionKey } from '@parley/contracts';
import type { CredentialFailureLimiter } from './credential-failure.limiter';
import type { Quota, RateLimitDecision } from './rate-limit.policy';
import type { RateLimiter } from './rate-limiter';
import { bucketStates, SLIDING_WINDOW_FUNCTION } from './redis-rate-limit.store';

/**
 * The three checks of an authenticated request in one atomic script. KEYS[1]: the address's
 * refused-credentials counter, KEYS[2]: the session's revocation key, KEYS[3..]: the rate-limit
 * buckets. ARGV[1]: the refused-credentials limit (0: no check), ARGV[2]: 1 to check the session,
 * ARGV[3]: window ms, ARGV[4]: the request's member, ARGV[5..]: the bucket limits. The buckets
 * count the request only when the address is not refused and the session not revoked (as when the
 * checks ran one after another). Returns {refusals, refusalsTtlMs or -1, revoked, then the sliding
 * window's reply when it ran}.
 */
export const ADMISSION_SCRIPT = `${SLIDING_WINDOW_FUNCTION}
local maxRefusals = tonumber(ARGV[1])
local refusals = 0
local refusalsTtl = -1
if maxRefusals > 0 then
  refusals = tonumber(redis.call('GET', KEYS[1]) or '0')
  if refusals >= maxRefusals then refusalsTtl = redis.call('PTTL', KEYS[1]) end
end
local revoked = 0
if ARGV[2] == '1' then revoked = redis.call('EXISTS', KEYS[2]) end
local out = {refusals, refusalsTtl, revoked}
if #KEYS > 2 and revoked == 0 and (maxRefusals == 0 or refusals < maxRefusals) then
  local buckets = {}
  local limits = {}
  for i = 3, #KEYS do
    buckets[#buckets + 1] = KEYS[i]
    limits[#limits + 1] = ARGV[i + 2]
  end
  for _, v in ipairs(slide(buckets, tonumber(ARGV[3]), ARGV[4], limits)) do out[#out + 1] = v end
end
return out
`;

/** What one request asks of Redis before it is let through. */
export interface AdmissionQuery {
  /** The client address whose refused credentials are checked, or null (no credential was presented). */
  address: string | null;
  /** The access token's session, checked against the revocation set, or null. */
  session: { tenantId: string; sessionId: string } | null;
  /** The buckets the request counts against, or null when it is not counted here. */
  quota: Quota | null;
}

export interface AdmissionAnswer {
  /** 429 for an address out of refused credentials (it wins over the rest), else null. */
  addressRefusal: DomainException | null;
  /** `unknown` while Redis cannot answer (the caller serves on and says so). */
  session: 'revoked' | 'live' | 'unknown';
  /** The rate-limit decision, or null when the request was not counted (no quota, refused or revoked). */
  rateLimit: RateLimitDecision | null;
}

interface WithScript {
  parleyAdmit(numKeys: number, ...args: (string | number)[]): Promise<unknown[]>;
}

/**
 * One Redis round trip for everything the edge checks in Redis before it forwards a request: the
 * client address's refused credentials, the session's revocation, and the rate limits (the
 * sliding window), in one Lua script on the limiter's fail-fast connection. While Redis cannot
 * answer, the same answers come from this replica (its refused-credential counts and its
 * in-process limiter; the revocation is `unknown`) through the limiter's fallback.
 */
export class EdgeAdmission {
  constructor(
    private readonly redis: Redis,
    private readonly limiter: RateLimiter,
    private readonly failures: CredentialFailureLimiter,
  ) {
    if (!('parleyAdmit' in redis)) redis.defineCommand('parleyAdmit', { lua: ADMISSION_SCRIPT });
  }

  async check(query: AdmissionQuery): Promise<AdmissionAnswer> {
    const started = performance.now();
    const { value, store } = await this.limiter.attempt(
      () => this.inRedis(query),
      () => this.inMemory(query),
    );
    const { refusals, session, counted } = value;
    return {
      addressRefusal: refusals ? this.failures.refusal(refusals.count, refusals.resetMs) : null,
      session,
      rateLimit: counted ? this.limiter.record(store, started, counted) : null,
    };
  }

  private async inRedis(query: AdmissionQuery): Promise<Checked> {
    const { address, session, quota } = query;
    const buckets = quota?.buckets ?? [];
    const reply = await (this.redis as unknown as WithScript).parleyAdmit(
      2 + buckets.length,
      this.failures.keyOf(address ?? 'none'),
      session ? revokedSessionKey(session.tenantId, session.sessionId) : 'platform:none',
      ...buckets.map((b) => b.key),
      address === null ? 0 : this.failures.maxRefusals,
      session ? 1 : 0,
      quota?.windowMs ?? 0,
      randomUUID(),
      ...buckets.map((b) => b.limit),
    );
    const counted =
      reply.length > 3 ? { allowed: reply[3] === 1, states: bucketStates(reply, 3, buckets.length) } : null;
    return {
      refusals: address === null ? null : { count: Number(reply[0]), resetMs: Number(reply[1]) },
      session: session === null ? 'live' : reply[2] === 1 ? 'revoked' : 'live',
      counted,
    };
  }

  private async inMemory(query: AdmissionQuery): Promise<Checked> {
    const { address, session, quota } = query;
    const refusals = address === null ? null : this.failures.inMemory(address);
    const refused = refusals !== null && this.failures.refusal(refusals.count, refusals.resetMs) !== null;
    const counted = quota && !refused ? await this.limiter.consumeInMemory(quota) : null;
    return { refusals, session: session === null ? 'live' : 'unknown', counted };
  }
}

interface Checked {
  refusals: { count: number; resetMs: number } | null;
  session: 'revoked' | 'live' | 'unknown';
  counted: { allowed: boolean; states: ReturnType<typeof bucketStates> } | null;
}
