import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { tenantKey } from '@parley/tenancy';
import { infra, waitFor } from '@parley/testing';
import { MessagesRepository } from '../conversations/messages.repository';
import { hourWindow } from '../quota/quota-window';
import { ChatStack, type Caller } from '../../testing/chat-stack';
import { GenerationLocks } from './generation-lock';

const SLOW = { chunks: Array.from({ length: 40 }, (_, i) => ` t${i}`), tokenDelayMs: 100, times: 1 };

/**
 * What the time-to-first-token shortcuts must not change: the history is read while the lock is
 * being taken, and the two new messages are stored while the provider request streams. The
 * interleavings are forced by running the real lock and repository around the request.
 */
describe('generation preflight overlapping the provider call', () => {
  let stack: ChatStack;
  let caller: Caller;
  let redis: Redis;
  let locks: GenerationLocks;
  let messages: MessagesRepository;
  const restore: Array<() => void> = [];

  beforeAll(async () => {
    stack = await ChatStack.start({ CHAT_PROVIDER_CHAIN: 'openai' });
    caller = await stack.caller();
    redis = new Redis(infra().REDIS_URL);
    locks = stack.app.get(GenerationLocks);
    messages = stack.app.get(MessagesRepository);
  });

  afterEach(() => {
    while (restore.length > 0) restore.pop()?.();
  });

  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
  });

  /** Counts the history reads of the orchestrator. */
  const countReads = () => {
    const real = messages.readHistory.bind(messages);
    const reads: number[] = [];
    messages.readHistory = async (...args) => {
      reads.push(Date.now());
      return real(...args);
    };
    restore.push(() => {
      messages.readHistory = real;
    });
    return reads;
  };

  /** Stores a complete exchange as a generation elsewhere would have. */
  const addExchange = async (conversationId: string, question: string, answer: string, answerId = randomUUID()) => {
    await stack.rows(
      caller.tenantId,
      `INSERT INTO {schema}.messages (id, conversation_id, role, content, status, author_kind, author_id, created_at)
       SELECT v.id, c.id, v.role, v.content, 'complete', c.owner_kind, c.owner_id, v.at
       FROM {schema}.conversations c
       CROSS JOIN (VALUES ($1::uuid, 'user', $2::text, clock_timestamp()),
                          ($3::uuid, 'assistant', $4::text, clock_timestamp() + interval '1 microsecond')) AS v (id, role, content, at)
       WHERE c.id = $5`,
      [randomUUID(), question, answerId, answer, conversationId],
    );
  };

  it('reads the history again when an answer ended between the read and the lock, so the prompt has it', async () => {
    const id = await stack.conversation(caller);
    expect((await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'first question' })).status).toBe(
      201,
    );
    const reads = countReads();
    // Another generation takes the lock after this request's read, stores its exchange and ends.
    const realAcquire = locks.acquire.bind(locks);
    locks.acquire = async (...args) => {
      await waitFor(() => reads.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 20)); // the read is answered by now
      const otherAnswerId = randomUUID();
      const other = await realAcquire(caller.tenantId, id, `elsewhere:${otherAnswerId}`, 60_000);
      if (!other) throw new Error('the lock should have been free');
      await addExchange(id, 'question in between', 'answer in between', otherAnswerId);
      await other.release();
      return realAcquire(...args);
    };
    restore.push(() => {
      locks.acquire = realAcquire;
    });

    const res = await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'raced question' });
    expect(res.status).toBe(201);
    expect(reads).toHaveLength(2);
    const sent = stack.sim.requests.find((r) => r.prompt.includes('raced question'));
    expect(sent?.prompt).toContain('first question');
    expect(sent?.prompt).toContain('answer in between');
  });

  it('reads the history once when the last answer to end is the newest it saw', async () => {
    const id = await stack.conversation(caller);
    await addExchange(id, 'seeded question', 'seeded answer');
    const reads = countReads();
    for (const content of ['one', 'two', 'three']) {
      expect((await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content })).status).toBe(201);
    }
    expect(reads).toHaveLength(3);
    expect(stack.sim.requests.find((r) => r.prompt.includes('three'))?.prompt).toContain('seeded answer');
    // A refused message stores nothing and does not count as an answer that ended.
    expect((await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: '/no-such-skill x' })).status).toBe(
      400,
    );
    expect((await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'four' })).status).toBe(201);
    expect(reads).toHaveLength(5);
  });

  it.each([
    ['JSON: 404', false],
    ['event stream: an error event', true],
  ])(
    'refuses the answer (%s) when the conversation is deleted before the exchange is stored: provider aborted, nothing kept',
    async (_mode, streaming) => {
      const marker = `deleted-meanwhile-${streaming ? 'sse' : 'json'}`;
      stack.sim.when({ promptIncludes: marker }, SLOW);
      const id = await stack.conversation(caller);
      const hourKey = tenantKey(caller.tenantId, 'chat', 'requests', hourWindow(new Date()).key);
      const before = Number((await redis.get(hourKey)) ?? 0);
      const realStore = messages.storeExchange.bind(messages);
      messages.storeExchange = async (...args) => {
        await stack.sim.waitFor((r) => r.prompt.includes(marker)); // the provider request is out
        expect((await stack.call(caller, 'DELETE', `/conversations/${id}`)).status).toBe(204);
        return realStore(...args);
      };
      restore.push(() => {
        messages.storeExchange = realStore;
      });

      if (streaming) {
        const res = await stack.stream(caller, id, { content: marker });
        expect(res.status).toBe(200);
        expect(res.events.at(-1)).toMatchObject({ type: 'error', code: 'not_found' });
      } else {
        const res = await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: marker });
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ error: { code: 'not_found' } });
      }
      const upstream = await stack.sim.waitFor((r) => r.prompt.includes(marker) && r.aborted);
      expect(upstream.completed).toBe(false);
      expect(await locks.holder(caller.tenantId, id)).toBeNull();
      expect(Number((await redis.get(hourKey)) ?? 0)).toBe(before);
      const rows = await stack.rows(caller.tenantId, 'SELECT id FROM {schema}.messages WHERE conversation_id = $1', [id]);
      expect(rows).toHaveLength(0);
    },
  );
});
