import { RELEASE_RESERVATION_LUA } from '@parley/contracts';

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
export const ADMIT = `${RELEASE_RESERVATION_LUA}
local gate = redis.call('HMGET', KEYS[3], 'payment', 'tenant', ARGV[5], ARGV[6])
local now = tonumber(ARGV[4])
if gate[1] and now >= tonumber(gate[1]) then return {3, tonumber(gate[1])} end
for i = 2, 4 do
  if gate[i] and now < tonumber(gate[i]) then return {4, i - 1, tonumber(gate[i])} end
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[7], '-inf', ARGV[9], 'LIMIT', 0, 100)
for _, id in ipairs(expired) do release(KEYS[5], KEYS[6], KEYS[7], id) end
local worst = tonumber(ARGV[8])
local fields = {'tenant', ARGV[5], ARGV[6]}
local caps = redis.call('HMGET', KEYS[4], 'tenant', ARGV[5], ARGV[6])
local reserved = redis.call('HMGET', KEYS[5], 'tenant', ARGV[5], ARGV[6])
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
      if spent + tonumber(reserved[i] or '0') + worst > cap then return {4, i, reset} end
    end
  end
end
local used = redis.call('GET', KEYS[1])
if not used then return {-1} end
used = tonumber(used)
if used >= tonumber(ARGV[1]) then return {1, used} end
local n = tonumber(redis.call('GET', KEYS[2]) or '0')
if n >= tonumber(ARGV[2]) then return {2, n} end
n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
if worst > 0 and ARGV[7] ~= '' then
  local entry = tostring(worst)
  for i = 1, 3 do
    if fields[i] ~= '-' then
      entry = entry .. ' ' .. fields[i]
      redis.call('HINCRBY', KEYS[5], fields[i], worst)
    end
  end
  redis.call('HSET', KEYS[6], ARGV[7], entry)
  redis.call('ZADD', KEYS[7], ARGV[10], ARGV[7])
end
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

/**
 * An answer ended: its reservation now holds its real cost (ARGV[2], micro-USD) instead of its
 * worst case, until billing's gate sync finds it in the ledger and moves it to the spend; it
 * expires at ARGV[3] (epoch ms) if that never happens. A cost of 0 releases it (nothing to count).
 * No reservation (billing recorded it first, or it expired): nothing — a settled cost is never
 * reserved again. KEYS: the reserved totals, the reservations, their expiry; ARGV[1]: its id.
 * Returns 1 when a reservation was settled.
 */
export const SETTLE = `${RELEASE_RESERVATION_LUA}
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
