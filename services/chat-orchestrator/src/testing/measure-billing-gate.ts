import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { BILLING_GATE_FIELDS, billingGateKey } from '@parley/contracts';
import { ensureInfra, summarize, type LatencyStats } from '@parley/testing';
import { ChatLimits } from '../modules/quota/chat-limits';
import { ChatStack } from './chat-stack';

/**
 * What billing's gate adds to chat admission (the one Redis round trip before a provider call), in
 * process on the real Redis: `ChatLimits.admit` for a tenant without a gate (the no-budget path)
 * against one whose gate holds a tenant, member and key budget and a running grace period (every
 * field read, none refusing), interleaved so machine noise hits both alike.
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
    const past = String(Math.floor(Date.now() / 1000) - 60);
    await redis.hset(billingGateKey(gated), {
      [BILLING_GATE_FIELDS.payment]: String(Math.floor(Date.now() / 1000) + 86_400),
      [BILLING_GATE_FIELDS.tenant]: past,
      [BILLING_GATE_FIELDS.member(userId)]: past,
      [BILLING_GATE_FIELDS.apiKey(apiKeyId)]: past,
    });
    const subject = { userId, apiKeyId: null };
    const time = async (tenantId: string, into: number[] | null) => {
      const started = performance.now();
      const admission = await limits.admit(tenantId, subject, randomUUID());
      into?.push(performance.now() - started);
      await limits.refund(admission);
    };
    for (let i = 0; i < 200; i++) {
      await time(plain, null);
      await time(gated, null);
    }
    const without: number[] = [];
    const withGate: number[] = [];
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        await time(plain, without);
        await time(gated, withGate);
      } else {
        await time(gated, withGate);
        await time(plain, without);
      }
    }
    const show = (name: string, s: LatencyStats) =>
      `${name.padEnd(46)} p50 ${s.p50Ms.toFixed(3)} ms  p90 ${s.p90Ms.toFixed(3)} ms  p99 ${s.p99Ms.toFixed(3)} ms  (n=${s.count})`;
    const a = summarize(without, 1);
    const b = summarize(withGate, 1);
    process.stdout.write(
      [
        show('admission, no budgets (empty gate)', a),
        show('admission, 3 budgets + grace period in the gate', b),
        `added p50: ${(b.p50Ms - a.p50Ms).toFixed(3)} ms`,
      ].join('\n') + '\n',
    );
  } finally {
    redis.disconnect();
    await stack.stop();
  }
}

void main();
