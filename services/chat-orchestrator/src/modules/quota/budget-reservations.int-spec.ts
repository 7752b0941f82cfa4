import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BILLING_GATE_FIELDS,
  billingCapsKey,
  billingReservationExpiryKey,
  billingReservationsKey,
  billingReservedKey,
  RELEASE_RESERVATION_LUA,
  type ChatStreamEvent,
} from '@parley/contracts';
import { infra, waitFor } from '@parley/testing';
import { ChatStack, type Answer, type Caller } from '../../testing/chat-stack';
import { ChatLimits } from './chat-limits';

/** An answer that runs ~40 s unless stopped: it holds its reservation while the others are judged. */
const LONG = { chunks: Array.from({ length: 400 }, (_, i) => ` w${i}`), tokenDelayMs: 100 };

/**
 * The strict budget cap on the chat path, on two replicas sharing Postgres and Redis: admission
 * reserves each answer's worst case against every budget that applies (billing's caps hash, written
 * here as billing's gate sync writes it), the end of the answer settles it to its real cost. The
 * context budget (1000 tokens) and max_tokens (100) make the worst case 22 500 micro-USD at the
 * price table's dearest prices ($15 in, $75 out per million).
 */
describe('the strict budget cap: answers already running count against the budget', () => {
  let stack: ChatStack;
  let replica: string;
  let redis: Redis;
  let worst: number;
  const resetAt = () => Math.floor(Date.now() / 1000) + 86_400;

  beforeAll(async () => {
    stack = await ChatStack.start({ CHAT_CONTEXT_BUDGET_TOKENS: '1000', CHAT_MAX_OUTPUT_TOKENS: '100' });
    replica = await stack.replica();
    redis = new Redis(infra().REDIS_URL);
    worst = stack.app.get(ChatLimits).worstCaseMicros;
  });

  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
  });

  /** A budget as billing's gate sync writes it: `cap spent resetAt`. */
  const setCap = (tenantId: string, field: string, capMicros: number, spentMicros = 0) =>
    redis.hset(billingCapsKey(tenantId), field, `${capMicros} ${spentMicros} ${resetAt()}`);

  const costs = async (tenantId: string) =>
    (
      await stack.rows<{ n: string; total: string }>(
        tenantId,
        `SELECT count(*)::text AS n, coalesce(sum(cost_micros), 0)::text AS total FROM {schema}.messages WHERE role = 'assistant'`,
      )
    )[0] ?? { n: '0', total: '0' };

  /** Sends a message (JSON mode) in a new conversation on `base`; the pending answer and its conversation. */
  async function start(caller: Caller, marker: string, base = stack.base) {
    const id = await stack.conversation(caller);
    const answer = stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: marker }, { base });
    return { id, answer };
  }

  /** Waits until the answer reaches the provider (it is running), then stops it where it runs. */
  async function stop(caller: Caller, id: string): Promise<void> {
    await waitFor(async () => (await stack.call(caller, 'POST', `/conversations/${id}/stop`)).body.stopped === true);
  }

  it('the worst case is the whole context budget in and max_tokens out at the dearest prices', () => {
    expect(worst).toBe(1000 * 15 + 100 * 75);
  });

  it('8 parallel chats over two replicas, room for 3 at worst case: exactly 3 run, 5 are refused, the spend stays under the cap', async () => {
    const caller = await stack.caller();
    const cap = 3 * worst + Math.floor(worst / 2);
    await setCap(caller.tenantId, BILLING_GATE_FIELDS.tenant, cap);
    stack.sim.when({ promptIncludes: 'burst-8' }, LONG);
    const sent = await Promise.all(
      Array.from({ length: 8 }, (_, i) => start(caller, 'burst-8', i % 2 === 0 ? stack.base : replica)),
    );
    const settled: (Answer | null)[] = sent.map(() => null);
    sent.forEach(({ answer }, i) => void answer.then((res) => (settled[i] = res)));
    // Every request judged: the refused ones answered, the admitted ones reached the provider.
    await waitFor(
      () =>
        settled.filter((res) => res?.status === 429).length +
          stack.sim.requests.filter((r) => r.prompt.includes('burst-8')).length ===
        8,
      { what: 'every request admitted or refused' },
    );
    const refused = settled.filter((res): res is Answer => res !== null);
    expect(refused).toHaveLength(5);
    for (const res of refused) {
      expect(res.status).toBe(429);
      expect(res.body.error).toMatchObject({ code: 'budget_exceeded', details: { scope: 'tenant' } });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(Number(await redis.hget(billingReservedKey(caller.tenantId), 'tenant'))).toBe(3 * worst);
    const running = sent.filter((_, i) => settled[i] === null);
    expect(running).toHaveLength(3);
    for (const { id } of running) await stop(caller, id);
    const answers = await Promise.all(running.map(({ answer }) => answer));
    expect(answers.map((res) => [res.status, res.body.assistantMessage.status])).toEqual([
      [201, 'stopped'],
      [201, 'stopped'],
      [201, 'stopped'],
    ]);
    expect(stack.sim.requests.filter((r) => r.prompt.includes('burst-8'))).toHaveLength(3);
    const { n, total } = await costs(caller.tenantId);
    expect(Number(n)).toBe(3);
    expect(Number(total)).toBeGreaterThan(0);
    expect(Number(total)).toBeLessThanOrEqual(cap);
    // Ended: each reservation now holds its real cost, until billing's ledger has it.
    expect(Number(await redis.hget(billingReservedKey(caller.tenantId), 'tenant'))).toBe(Number(total));
    expect(await redis.hlen(billingReservationsKey(caller.tenantId))).toBe(3);
  });

  /** A tenant with room for one answer at worst case, and that answer running (held by the provider). */
  async function oneRunning(marker: string) {
    const caller = await stack.caller();
    await setCap(caller.tenantId, BILLING_GATE_FIELDS.tenant, worst + Math.floor(worst / 2));
    stack.sim.when({ promptIncludes: marker }, LONG);
    return caller;
  }

  const admittedAfter = async (caller: Caller, marker: string) =>
    (await (await start(caller, marker, replica)).answer).status;

  it('a stopped answer releases its worst case: refused while it runs, admitted once it is stopped', async () => {
    const caller = await oneRunning('stop-then-next');
    const first = await start(caller, 'stop-then-next');
    await stack.sim.waitFor((r) => r.prompt.includes('stop-then-next'));
    expect((await (await start(caller, 'stopped-blocked', replica)).answer).body.error.code).toBe('budget_exceeded');
    await stop(caller, first.id);
    expect((await first.answer).body.assistantMessage.status).toBe('stopped');
    expect(await admittedAfter(caller, 'stopped-next')).toBe(201);
  });

  it('a failed answer (the provider broke off mid-stream) releases its worst case', async () => {
    const caller = await oneRunning('unused-marker');
    stack.sim.when({ promptIncludes: 'fail-then-next' }, { chunks: [' a', ' b', ' c'], errorAfterChunks: 2 });
    const failed = await (await start(caller, 'fail-then-next')).answer;
    expect(failed.status).toBe(502);
    expect(await admittedAfter(caller, 'failed-next')).toBe(201);
  });

  it('an answer whose client went away releases its worst case', async () => {
    const caller = await oneRunning('leave-then-next');
    const id = await stack.conversation(caller);
    const client = new AbortController();
    const events: ChatStreamEvent[] = [];
    await stack.stream(
      caller,
      id,
      { content: 'leave-then-next' },
      {
        signal: client.signal,
        onEvent: async (event) => {
          events.push(event);
          if (events.filter((e) => e.type === 'token').length !== 2) return;
          const blocked = await (await start(caller, 'left-blocked', replica)).answer;
          expect(blocked.body.error.code).toBe('budget_exceeded');
          client.abort();
        },
      },
    );
    // The answer is stopped where it runs and its end recorded: the reservation falls to its real cost.
    await waitFor(async () => Number(await redis.hget(billingReservedKey(caller.tenantId), 'tenant')) < worst, {
      what: 'the abandoned answer settled',
    });
    expect(await admittedAfter(caller, 'left-next')).toBe(201);
  });

  it('a request refused after admission (409, the conversation already answering) gives its reservation back', async () => {
    const caller = await stack.caller();
    await setCap(caller.tenantId, BILLING_GATE_FIELDS.tenant, 2 * worst + Math.floor(worst / 2));
    stack.sim.when({ promptIncludes: 'busy-conversation' }, LONG);
    const first = await start(caller, 'busy-conversation');
    await stack.sim.waitFor((r) => r.prompt.includes('busy-conversation'));
    const second = await stack.call(
      caller,
      'POST',
      `/conversations/${first.id}/messages`,
      { content: 'while busy' },
      { base: replica },
    );
    expect(second.body.error.code).toBe('generation_in_progress');
    expect(Number(await redis.hget(billingReservedKey(caller.tenantId), 'tenant'))).toBe(worst);
    expect(await admittedAfter(caller, 'room-for-one-more')).toBe(201);
    await stop(caller, first.id);
    await first.answer;
  });

  it('an end settled after billing already moved the usage to the spend reserves nothing again', async () => {
    const caller = await stack.caller();
    const limits = stack.app.get(ChatLimits);
    const id = randomUUID();
    await limits.admit(caller.tenantId, { userId: caller.userId as string, apiKeyId: null }, id);
    expect(await redis.hget(billingReservedKey(caller.tenantId), 'tenant')).toBe(String(worst));
    // What billing's gate sync does when the ledger holds the usage (the same release function).
    await redis.eval(
      `${RELEASE_RESERVATION_LUA} return release(KEYS[1], KEYS[2], KEYS[3], ARGV[1])`,
      3,
      billingReservedKey(caller.tenantId),
      billingReservationsKey(caller.tenantId),
      billingReservationExpiryKey(caller.tenantId),
      id,
    );
    await limits.settle(caller.tenantId, id, 1234);
    expect(await redis.hgetall(billingReservedKey(caller.tenantId))).toEqual({});
    expect(await redis.hlen(billingReservationsKey(caller.tenantId))).toBe(0);
  });

  it('a member over their own budget is refused while another member runs; likewise an API key', async () => {
    const tenantId = await stack.tenant();
    const alice: Caller = { tenantId, userId: randomUUID() };
    const bob: Caller = { tenantId, userId: randomUUID() };
    const key: Caller = { tenantId, apiKeyId: randomUUID() };
    const room = worst + Math.floor(worst / 2);
    await setCap(tenantId, BILLING_GATE_FIELDS.member(alice.userId as string), room);
    await setCap(tenantId, BILLING_GATE_FIELDS.apiKey(key.apiKeyId as string), room);
    stack.sim.when({ promptIncludes: 'scoped-run' }, LONG);
    const aliceRuns = await start(alice, 'scoped-run alice');
    const keyRuns = await start(key, 'scoped-run key', replica);
    await stack.sim.waitFor((r) => r.prompt.includes('scoped-run alice'));
    await stack.sim.waitFor((r) => r.prompt.includes('scoped-run key'));
    const aliceAgain = await (await start(alice, 'alice-again', replica)).answer;
    expect(aliceAgain.body.error).toMatchObject({ code: 'budget_exceeded', details: { scope: 'member' } });
    const keyAgain = await (await start(key, 'key-again')).answer;
    expect(keyAgain.body.error).toMatchObject({ code: 'budget_exceeded', details: { scope: 'api_key' } });
    expect((await (await start(bob, 'bob-fine')).answer).status).toBe(201);
    await stop(alice, aliceRuns.id);
    await stop(key, keyRuns.id);
    expect((await aliceRuns.answer).status).toBe(201);
    expect((await keyRuns.answer).status).toBe(201);
    expect((await (await start(alice, 'alice-after')).answer).status).toBe(201);
  });

  it('what the ledger already holds counts: spent + worst case above the cap is refused with nothing running', async () => {
    const caller = await stack.caller();
    await setCap(caller.tenantId, BILLING_GATE_FIELDS.tenant, 2 * worst, worst + 1);
    const res = await (await start(caller, 'spent-counts')).answer;
    expect(res.body.error).toMatchObject({ code: 'budget_exceeded', details: { scope: 'tenant' } });
    await setCap(caller.tenantId, BILLING_GATE_FIELDS.tenant, 2 * worst, worst);
    expect((await (await start(caller, 'spent-fits')).answer).status).toBe(201);
  });

  it("another tenant's running answers never count against this tenant's budget", async () => {
    const mine = await stack.caller();
    const other = await stack.caller();
    const room = worst + Math.floor(worst / 2);
    await setCap(mine.tenantId, BILLING_GATE_FIELDS.tenant, room);
    await setCap(other.tenantId, BILLING_GATE_FIELDS.tenant, room);
    stack.sim.when({ promptIncludes: 'other-runs' }, LONG);
    const running = await start(other, 'other-runs');
    await stack.sim.waitFor((r) => r.prompt.includes('other-runs'));
    expect((await (await start(other, 'other-blocked')).answer).status).toBe(429);
    expect((await (await start(mine, 'mine-fine', replica)).answer).status).toBe(201);
    // This tenant's reserved total is its own answer's real cost, nothing of the other's.
    expect(await redis.hget(billingReservedKey(mine.tenantId), 'tenant')).toBe((await costs(mine.tenantId)).total);
    await stop(other, running.id);
    await running.answer;
  });
});

describe('the strict budget cap: a crashed replica', () => {
  let stack: ChatStack;
  let redis: Redis;

  beforeAll(async () => {
    stack = await ChatStack.start({ CHAT_BUDGET_RESERVATION_TTL_MS: '1500' });
    redis = new Redis(infra().REDIS_URL);
  });

  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
  });

  it('frees the budget after the reservation TTL when the replica that admitted an answer never ends it', async () => {
    const caller = await stack.caller();
    const limits = stack.app.get(ChatLimits);
    const room = limits.worstCaseMicros + Math.floor(limits.worstCaseMicros / 2);
    await redis.hset(billingCapsKey(caller.tenantId), 'tenant', `${room} 0 ${Math.floor(Date.now() / 1000) + 86_400}`);
    // What a replica leaves when it dies mid-answer: an admission whose end never comes.
    await limits.admit(caller.tenantId, { userId: caller.userId as string, apiKeyId: null }, randomUUID());
    const id = await stack.conversation(caller);
    const blocked = await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'while-held' });
    expect(blocked.body.error.code).toBe('budget_exceeded');
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const freed = await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'after-ttl' });
    expect(freed.status).toBe(201);
    expect(await redis.hlen(billingReservationsKey(caller.tenantId))).toBe(1); // the new answer's, settled
  });
});
