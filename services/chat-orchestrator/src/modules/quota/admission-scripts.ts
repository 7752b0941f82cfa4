import { BUDGET_ADMISSION_LUA, RELEASE_RESERVATION_LUA, SETTLE_RESERVATION_LUA } from '@parley/contracts';

/**
 * Chat admission in one round trip: billing's gate, the strict budget cap, the plan's token quota
 * and hourly requests. KEYS[1]: the month's token counter, KEYS[2]: the hour's request counter,
 * KEYS[3]: billing's gate, KEYS[4]: the budgets' caps, KEYS[5]: the reserved totals, KEYS[6]: the
 * reservations, KEYS[7]: their expiry (see `billingCapsKey` in @parley/contracts). ARGV: token
 * limit, request limit, hour counter TTL, now (epoch s), the member's and the API key's gate fields
 * ('-' when none), the reservation id, its amount (the answer's worst case, micro-USD), now (epoch
 * ms), its expiry (epoch ms).
 *
 * Returns {0, used, requests} when admitted (the request counted, the worst case reserved on the
 * tenant, the member and the key), {1, used} over the token quota, {2, requests} over the hourly
 * limit, {3, graceUntil} when the grace period after a failed payment is over, {4, scope (1 tenant,
 * 2 member, 3 key), resetAt} over a budget — used up, or `spent + reserved + worst case` above its
 * cap (resetAt 0: a new month, the caller knows its end) — none counted; {-1} when the token
 * counter must be rebuilt first. Reservations past their expiry (a replica that crashed) are
 * released first.
 */
export const ADMIT = `${BUDGET_ADMISSION_LUA}
local now = tonumber(ARGV[4])
local refused = gate_refusal(KEYS[3], ARGV[5], ARGV[6], now)
if refused then return refused end
release_expired(KEYS[5], KEYS[6], KEYS[7], ARGV[9])
local worst = tonumber(ARGV[8])
local fields = {'tenant', ARGV[5], ARGV[6]}
local over = over_cap(KEYS[4], KEYS[5], fields, worst, now)
if over then return {4, over[1], over[2]} end
local used = redis.call('GET', KEYS[1])
if not used then return {-1} end
used = tonumber(used)
if used >= tonumber(ARGV[1]) then return {1, used} end
local n = tonumber(redis.call('GET', KEYS[2]) or '0')
if n >= tonumber(ARGV[2]) then return {2, n} end
n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
reserve(KEYS[5], KEYS[6], KEYS[7], fields, ARGV[7], worst, ARGV[10])
return {0, used, n}`;

/**
 * An admission refused afterwards (404, 409, unknown skill…): the hourly request given back and
 * the reservation released. KEYS: the hour's counter, the reserved totals, the reservations, their
 * expiry; ARGV[1]: the reservation id.
 */
export const REFUND = `${RELEASE_RESERVATION_LUA}
release(KEYS[2], KEYS[3], KEYS[4], ARGV[1])
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

/** An answer ended: see SETTLE_RESERVATION_LUA. */
export const SETTLE = SETTLE_RESERVATION_LUA;
