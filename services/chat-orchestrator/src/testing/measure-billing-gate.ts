import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  BILLING_GATE_FIELDS,
  billingCapsKey,
  billingGateKey,
  billingReservationExpiryKey,
  billingReservationsKey,
  billingReservedKey,
} from '@parley/contracts';
import { ensureInfra, summarize, type LatencyStats } from '@parley/testing';
import { ADMIT } from '../modules/quota/admission-scripts';
import { ChatLimits } from '../modules/quota/chat-limits';
import { ChatStack } from './chat-stack';

/**
 * The admission script as it was before the strict cap (gate and plan limits, no caps, no
 * reservation): the "before" of the same-run comparison.
 */
const ADMIT_BEFORE = `
local gate = redis.call('HMGET', KEYS[3], 'payment', 'tenant', ARGV[5], ARGV[6])
local now = tonumber(ARGV[4])
if gate[1] and now >= tonumber(gate[1]) then return {3, tonumber(gate[1])} end
for i = 2, 4 do
  if gate[i] and now < tonumber(gate[i]) then return {4, i - 1, tonumber(gate[i])} end
end
local used = redis.call('GET', KEYS[1])
if not used then return {-1} end
used = tonumber(used)
if used >= tonumber(ARGV[1]) then return {1, used} end
local n = tonumber(redis.call('GET', KEYS[2]) or '0')
if n >= tonumber(ARGV[2]) then return {2, n} end
n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
return {0, used, n}`;

/**
 * What billing's gate and the strict budget cap add to chat admission (the one Redis round trip
 * before a provider call), in process on the real Redis, interleaved so machine noise hits every
 * series alike:
 * - `ChatLimits.admit` for a tenant without budgets, and for one whose gate holds a tenant, member
 *   and key budget and a running grace period, with their caps (room left) and 20 reservations of
 *   running answers — every field read, none refusing, the answer's worst case reserved and (after
 *   timing) given back;
 * - the admission script alone (one EVALSHA on one connection) for the same budgeted tenant,
 *   before the strict cap (ADMIT_BEFORE) and with it (ADMIT: caps read, expired reservations
 *   pruned, the worst case reserved): the same-run before/after ratio.
 *
 *   bash bench/billing-gate/run.sh [rounds=3000]
 */
async function main(): Promise<void> {
  process.env.PARLEY_TEST_INFRA ??= JSON.stringify(ensureInfra());
  const rounds = Number(process.argv[2] ?? 3000);
  const stack = await ChatStack.start({ LOG_LEVEL: 'warn' });
  const redis = new Redis(ensureInfra().REDIS_URL);
  try {
    const limits = stack.app.get(ChatLimits);
    const plain = await stack.tenant('enterprise');
    const gated = await stack.tenant('enterprise');
    const userId = randomUUID();
    const apiKeyId = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    const past = String(now - 60);
    const member = BILLING_GATE_FIELDS.member(userId);
    const key = BILLING_GATE_FIELDS.apiKey(apiKeyId);
    await redis.hset(billingGateKey(gated), {
      [BILLING_GATE_FIELDS.payment]: String(now + 86_400),
      [BILLING_GATE_FIELDS.tenant]: past,
      [member]: past,
      [key]: past,
    });
    const roomy = `${1_000_000_000_000} 1000 ${now + 86_400}`;
    await redis.hset(billingCapsKey(gated), { tenant: roomy, [member]: roomy, [key]: roomy });
    for (let i = 0; i < 20; i++) {
      const id = randomUUID();
      await redis.hset(billingReservationsKey(gated), id, `${limits.worstCaseMicros} tenant ${member}`);
      await redis.zadd(billingReservationExpiryKey(gated), Date.now() + 3_600_000, id);
      await redis.hincrby(billingReservedKey(gated), 'tenant', limits.worstCaseMicros);
      await redis.hincrby(billingReservedKey(gated), member, limits.worstCaseMicros);
    }
    redis.defineCommand('parleyBenchAdmitBefore', { numberOfKeys: 3, lua: ADMIT_BEFORE });
    redis.defineCommand('parleyBenchAdmitAfter', { numberOfKeys: 7, lua: ADMIT });
    const scripts = redis as unknown as {
      parleyBenchAdmitBefore(...args: (string | number)[]): Promise<number[]>;
      parleyBenchAdmitAfter(...args: (string | number)[]): Promise<number[]>;
    };
    const subject = { userId, apiKeyId };
    const timeAdmit = async (tenantId: string, into: number[] | null) => {
      const started = performance.now();
      const admission = await limits.admit(tenantId, subject, randomUUID());
      into?.push(performance.now() - started);
      await limits.refund(admission);
    };
    // The old script's keys as `admit` builds them; the hour counter is given back by DECR.
    const hourKey = `${gated}:bench:before:requests`;
    const tokensKey = `${gated}:bench:before:tokens`;
    await redis.set(tokensKey, '0');
    const timeBefore = async (into: number[] | null) => {
      const started = performance.now();
      await scripts.parleyBenchAdmitBefore(
        tokensKey,
        hourKey,
        billingGateKey(gated),
        1e12,
        1e12,
        3600,
        Math.floor(Date.now() / 1000),
        member,
        key,
      );
      into?.push(performance.now() - started);
      await redis.decr(hourKey);
    };
    // The script with the strict cap on the same connection: caps read, expired ones pruned, the worst case reserved.
    const timeAfterScript = async (into: number[] | null) => {
      const reservationId = randomUUID();
      const started = performance.now();
      await scripts.parleyBenchAdmitAfter(
        tokensKey,
        hourKey,
        billingGateKey(gated),
        billingCapsKey(gated),
        billingReservedKey(gated),
        billingReservationsKey(gated),
        billingReservationExpiryKey(gated),
        1e12,
        1e12,
        3600,
        Math.floor(Date.now() / 1000),
        member,
        key,
        reservationId,
        limits.worstCaseMicros,
        Date.now(),
        Date.now() + 600_000,
      );
      into?.push(performance.now() - started);
      await limits.refund({ tenantId: gated, hourKey, reservationId });
    };
    for (let i = 0; i < 200; i++) {
      await timeAdmit(plain, null);
      await timeAdmit(gated, null);
      await timeBefore(null);
      await timeAfterScript(null);
    }
    const without: number[] = [];
    const withCap: number[] = [];
    const beforeScript: number[] = [];
    const afterScript: number[] = [];
    const series = [
      () => timeAdmit(plain, without),
      () => timeAdmit(gated, withCap),
      () => timeBefore(beforeScript),
      () => timeAfterScript(afterScript),
    ];
    for (let i = 0; i < rounds; i++) {
      for (let j = 0; j < series.length; j++) await (series[(i + j) % series.length] as () => Promise<void>)();
    }
    const show = (name: string, s: LatencyStats) =>
      `${name.padEnd(58)} p50 ${s.p50Ms.toFixed(3)} ms  p90 ${s.p90Ms.toFixed(3)} ms  p99 ${s.p99Ms.toFixed(3)} ms  (n=${s.count})`;
    const a = summarize(without, 1);
    const b = summarize(withCap, 1);
    const c = summarize(beforeScript, 1);
    const d = summarize(afterScript, 1);
    process.stdout.write(
      [
        show('admit(), no budgets', a),
        show('admit(), 3 budgets + grace + caps + 20 reservations', b),
        show('script before the strict cap, same budgets', c),
        show('script with the strict cap (reserving), same budgets', d),
        `added p50 by budgets (admit with vs without): ${(b.p50Ms - a.p50Ms).toFixed(3)} ms`,
        `strict cap, script p50 after/before: ${(d.p50Ms / c.p50Ms).toFixed(2)}x (+${(d.p50Ms - c.p50Ms).toFixed(3)} ms)`,
      ].join('\n') + '\n',
    );
  } finally {
    redis.disconnect();
    await stack.stop();
  }
}

void main();
