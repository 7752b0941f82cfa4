import { DomainException, RetryLaterException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-code';
import {
  billingReservationExpiryKey,
  billingReservationsKey,
  billingReservedKey,
  BUDGET_SCOPES,
  RELEASE_RESERVATION_LUA,
} from './billing-gate';

/** The three keys of a tenant's reservations, in the order the scripts below take them. */
export function reservationKeys(tenantId: string): [string, string, string] {
  return [billingReservedKey(tenantId), billingReservationsKey(tenantId), billingReservationExpiryKey(tenantId)];
}

/**
 * Lua shared by every admission that checks billing's gate and reserves against the budgets' caps
 * (chat, speech), with `release` from RELEASE_RESERVATION_LUA:
 * - `gate_refusal(gateKey, memberField, keyField, now)`: {3, graceUntil} past a failed payment's
 *   grace period, {4, scope (1 tenant, 2 member, 3 key), resetAt} while a budget is used up, else nil;
 * - `release_expired(reservedKey, entriesKey, ttlKey, nowMs)`: drops reservations past their expiry
 *   (a replica that crashed), at most 100 a call;
 * - `over_cap(capsKey, reservedKey, fields, worst, now)`: the first budget (1, 2, 3) whose
 *   `spent + reserved + worst` would pass its cap, and its reset time (0: a new month), else nil;
 * - `reserve(reservedKey, entriesKey, ttlKey, fields, id, worst, expiryMs)`: counts `worst` on each
 *   field that applies, as the reservation `id` (nothing when worst is 0 or there is no id).
 * `fields` is {'tenant', memberField, keyField}, '-' for a field that does not apply.
 */
/**
 * The refusal an admission script built on BUDGET_ADMISSION_LUA answers for billing's gate and the
 * budgets' caps: `{3, graceUntil}` → 402 `payment_required`; `{4, scope, resetAt}` → 429
 * `budget_exceeded` (resetAt 0, or none: `monthEnd`), with `Retry-After`. Null for any other verdict
 * (the caller's own). `what` names what was refused ("answer", "request") in the message.
 */
export function budgetGateRefusal(
  reply: readonly number[],
  context: { now: Date; monthEnd: Date; what: string },
): DomainException | null {
  const [verdict, a, b] = reply;
  if (verdict === 3) {
    return new DomainException(
      ErrorCode.PaymentRequired,
      'A payment failed and its grace period is over: the organisation is read-only until an invoice is paid',
      { graceUntil: new Date((a ?? 0) * 1000).toISOString() },
    );
  }
  if (verdict !== 4) return null;
  const until = b ? new Date(b * 1000) : context.monthEnd;
  return new RetryLaterException(
    ErrorCode.BudgetExceeded,
    `The monthly budget is used up, or what is spent and reserved leaves no room for this ${context.what}'s worst case`,
    { scope: BUDGET_SCOPES[(a ?? 1) - 1], resetAt: until.toISOString() },
    Math.max(1, Math.ceil((until.getTime() - context.now.getTime()) / 1000)),
  );
}

export const BUDGET_ADMISSION_LUA = `${RELEASE_RESERVATION_LUA}
local function gate_refusal(gateKey, memberField, keyField, now)
  local gate = redis.call('HMGET', gateKey, 'payment', 'tenant', memberField, keyField)
  if gate[1] and now >= tonumber(gate[1]) then return {3, tonumber(gate[1])} end
  for i = 2, 4 do
    if gate[i] and now < tonumber(gate[i]) then return {4, i - 1, tonumber(gate[i])} end
  end
  return nil
end
local function release_expired(reservedKey, entriesKey, ttlKey, nowMs)
  local expired = redis.call('ZRANGEBYSCORE', ttlKey, '-inf', nowMs, 'LIMIT', 0, 100)
  for _, id in ipairs(expired) do release(reservedKey, entriesKey, ttlKey, id) end
end
local function over_cap(capsKey, reservedKey, fields, worst, now)
  local caps = redis.call('HMGET', capsKey, fields[1], fields[2], fields[3])
  local reserved = redis.call('HMGET', reservedKey, fields[1], fields[2], fields[3])
  for i = 1, 3 do
    if caps[i] and fields[i] ~= '-' then
      local cap, spent, reset = string.match(caps[i], '^(%d+) (%d+) (%d+)$')
      if cap then
        cap = tonumber(cap)
        spent = tonumber(spent)
        reset = tonumber(reset)
        if now >= reset then
          spent = 0
          reset = 0
        end
        if spent + tonumber(reserved[i] or '0') + worst > cap then return {i, reset} end
      end
    end
  end
  return nil
end
local function reserve(reservedKey, entriesKey, ttlKey, fields, id, worst, expiryMs)
  if worst <= 0 or id == '' then return end
  local entry = tostring(worst)
  for i = 1, 3 do
    if fields[i] ~= '-' then
      entry = entry .. ' ' .. fields[i]
      redis.call('HINCRBY', reservedKey, fields[i], worst)
    end
  end
  redis.call('HSET', entriesKey, id, entry)
  redis.call('ZADD', ttlKey, expiryMs, id)
end
`;

/**
 * A request ended: its reservation now holds its real cost (ARGV[2], micro-USD) instead of its
 * worst case, until billing's gate sync finds it in the ledger and moves it to the spend; it
 * expires at ARGV[3] (epoch ms) if that never happens. A cost of 0 releases it (nothing to count).
 * No reservation (billing recorded it first, or it expired): nothing — a settled cost is never
 * reserved again. KEYS: reservationKeys; ARGV[1]: its id. Returns 1 when a reservation was settled.
 */
export const SETTLE_RESERVATION_LUA = `${RELEASE_RESERVATION_LUA}
local entry = redis.call('HGET', KEYS[2], ARGV[1])
if not entry then return 0 end
local cost = tonumber(ARGV[2])
if cost <= 0 then
  release(KEYS[1], KEYS[2], KEYS[3], ARGV[1])
  return 1
end
local amount = nil
local settled = tostring(cost)
for word in string.gmatch(entry, '%S+') do
  if not amount then
    amount = tonumber(word)
  else
    settled = settled .. ' ' .. word
    redis.call('HINCRBY', KEYS[1], word, cost - amount)
  end
end
redis.call('HSET', KEYS[2], ARGV[1], settled)
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return 1`;

/**
 * A part of a longer request ended (an utterance of a live speech session): its real cost (ARGV[3])
 * moves out of the session's reservation (ARGV[1]) into a reservation of its own (ARGV[2], its
 * usage's source id, which the ledger will hold), expiring at ARGV[4]; the session keeps what is
 * left of its worst case. A cost above what is left is counted in full (the total grows by the
 * difference). No session reservation (expired, or no budget reserved): nothing. KEYS:
 * reservationKeys. Returns 1 when moved.
 */
export const SPLIT_RESERVATION_LUA = `
local entry = redis.call('HGET', KEYS[2], ARGV[1])
if not entry then return 0 end
local cost = tonumber(ARGV[3])
local amount = nil
local fields = ''
for word in string.gmatch(entry, '%S+') do
  if not amount then amount = tonumber(word) else fields = fields .. ' ' .. word end
end
local moved = math.min(cost, amount)
local extra = cost - moved
if extra > 0 then
  for word in string.gmatch(fields, '%S+') do redis.call('HINCRBY', KEYS[1], word, extra) end
end
redis.call('HSET', KEYS[2], ARGV[1], tostring(amount - moved) .. fields)
if cost > 0 then
  redis.call('HSET', KEYS[2], ARGV[2], tostring(cost) .. fields)
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[2])
end
return 1`;
