import {
  BUDGET_ADMISSION_LUA,
  RELEASE_RESERVATION_LUA,
  SETTLE_RESERVATION_LUA,
  SPLIT_RESERVATION_LUA,
} from '@parley/contracts';

/**
 * Speech admission in one round trip: billing's gate, the month's minutes, and the strict budget
 * cap. KEYS: [1] the month's seconds counter, [2] billing's gate, [3] the budgets' caps, [4..6] the
 * reservation keys (reservationKeys). ARGV: [1] the plan's seconds a month, [2] now (epoch s),
 * [3] the member's and [4] the API key's gate fields ('-' when none), [5] the reservation id ('' for
 * none), [6] the request's longest audio (s), [7] its engine's price (micro-USD an hour), [8] now
 * (epoch ms), [9] the reservation's expiry (epoch ms).
 *
 * Returns {0, used} admitted (the worst case — the seconds left or the longest audio, whichever is
 * less, at the price — reserved on the tenant, member and key); {1, used} the minutes are used up;
 * {3, graceUntil} past a failed payment's grace period; {4, scope, resetAt} a budget is used up or
 * has no room for the worst case. `used` is a string (seconds with decimals).
 */
export const STT_ADMIT = `${BUDGET_ADMISSION_LUA}
local now = tonumber(ARGV[2])
local refused = gate_refusal(KEYS[2], ARGV[3], ARGV[4], now)
if refused then return refused end
local usedText = redis.call('GET', KEYS[1]) or '0'
local remaining = tonumber(ARGV[1]) - tonumber(usedText)
if remaining <= 0 then return {1, usedText} end
release_expired(KEYS[4], KEYS[5], KEYS[6], ARGV[8])
local worst = math.ceil(math.max(0, math.min(remaining, tonumber(ARGV[6]))) * tonumber(ARGV[7]) / 3600)
local fields = {'tenant', ARGV[3], ARGV[4]}
local over = over_cap(KEYS[3], KEYS[4], fields, worst, now)
if over then return {4, over[1], over[2]} end
reserve(KEYS[4], KEYS[5], KEYS[6], fields, ARGV[5], worst, ARGV[9])
return {0, usedText}`;

/** See SETTLE_RESERVATION_LUA. */
export const SETTLE = SETTLE_RESERVATION_LUA;
/** See SPLIT_RESERVATION_LUA. */
export const SPLIT = SPLIT_RESERVATION_LUA;
/** KEYS: reservationKeys; ARGV[1]: the reservation to give back. */
export const RELEASE = `${RELEASE_RESERVATION_LUA}
release(KEYS[1], KEYS[2], KEYS[3], ARGV[1])
return 1`;
