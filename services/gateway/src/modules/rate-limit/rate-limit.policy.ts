import type { GatewayConfig } from '@parley/config';
import { tenantKey } from '@parley/tenancy';
import { principalSubject, type Principal } from '../auth/principal';

/** One counter: a Redis key (starting with the tenant id) and how many requests it admits per window. */
export interface Bucket {
  key: string;
  limit: number;
}

/** The buckets one request counts against; it is admitted only if every bucket has room. */
export interface Quota {
  buckets: Bucket[];
  windowMs: number;
}

/** A bucket after the check: requests counted in the window, its limit, ms until the oldest leaves. */
export interface BucketState {
  count: number;
  limit: number;
  resetMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Of the binding bucket (the one with the least room). */
  limit: number;
  remaining: number;
  resetSeconds: number;
  /** 0 when allowed. */
  retryAfterSeconds: number;
}

type RateLimitConfig = GatewayConfig['rateLimit'];

/**
 * An authenticated request counts against its whole tenant and against its principal (user or
 * API key), both by the tenant's plan. Never by IP: a spoofed X-Forwarded-For changes nothing.
 */
export function quotaForPrincipal(principal: Principal, config: RateLimitConfig): Quota {
  return {
    windowMs: config.windowSeconds * 1000,
    buckets: [
      { key: tenantKey(principal.tenantId, 'ratelimit', 'tenant'), limit: config.tenantPerWindow[principal.plan] },
      {
        key: tenantKey(
          principal.tenantId,
          'ratelimit',
          principal.kind,
          encodeURIComponent(principalSubject(principal)),
        ),
        limit: config.principalPerWindow[principal.plan],
      },
    ],
  };
}

/**
 * A public route (sign-in, sign-up, refresh, the aggregated health) counts against the client
 * address as Express computes it with `trust proxy` = TRUST_PROXY_HOPS, at the free per-principal
 * limit. There is no tenant yet, so the key starts with `platform` (as the bus inbox does).
 */
export function quotaForClient(ip: string | undefined, config: RateLimitConfig): Quota {
  return {
    windowMs: config.windowSeconds * 1000,
    buckets: [{ key: `platform:ratelimit:ip:${ip ?? 'unknown'}`, limit: config.principalPerWindow.free }],
  };
}

/**
 * The answer and the headers' numbers: the binding bucket is the one with the least room (ties:
 * the later reset); a refused request may retry when every full bucket has freed a slot.
 */
export function decide(allowed: boolean, states: readonly BucketState[]): RateLimitDecision {
  let binding: BucketState | undefined;
  for (const state of states) {
    const room = state.limit - state.count;
    const best = binding ? binding.limit - binding.count : Infinity;
    if (!binding || room < best || (room === best && state.resetMs > binding.resetMs)) binding = state;
  }
  if (!binding) return { allowed, limit: 0, remaining: 0, resetSeconds: 0, retryAfterSeconds: 0 };
  const full = states.filter((s) => s.count >= s.limit).map((s) => s.resetMs);
  return {
    allowed,
    limit: binding.limit,
    remaining: Math.max(0, binding.limit - binding.count),
    resetSeconds: Math.max(0, Math.ceil(binding.resetMs / 1000)),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(Math.max(0, ...full) / 1000)),
  };
}
