import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { tenantKey } from '@parley/tenancy';
import { infra } from '@parley/testing';
import { ChatStack, type Caller } from '../../testing/chat-stack';
import { hourWindow, monthWindow } from './quota-window';
import { TokenUsageStore } from './token-usage.store';

describe('chat quota and hourly limit, checked before any provider call', () => {
  let stack: ChatStack;
  let redis: Redis;

  /** A completed answer of `tokens` tokens this month, written straight into the tenant's table. */
  const spend = async (tenantId: string, tokens: number) => {
    const conversationId = randomUUID();
    await stack.rows(
      tenantId,
      `INSERT INTO {schema}.conversations (id, owner_kind, owner_id, title) VALUES ($1, 'user', 'seed', 'seed')`,
      [conversationId],
    );
    await stack.rows(
      tenantId,
      `INSERT INTO {schema}.messages (id, conversation_id, role, content, status, author_kind, author_id,
         prompt_tokens, completion_tokens, completed_at)
       VALUES ($1, $2, 'assistant', 'x', 'complete', 'user', 'seed', $3, $4, now())`,
      [randomUUID(), conversationId, Math.floor(tokens / 2), tokens - Math.floor(tokens / 2)],
    );
  };
  const sentTo = (marker: string) => stack.sim.requests.filter((r) => r.prompt.includes(marker)).length;

  beforeAll(async () => {
    stack = await ChatStack.start();
    redis = new Redis(infra().REDIS_URL);
  });

  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
  });

  it('shows the plan, its limits and the tokens used this month', async () => {
    const caller = await stack.caller(undefined, 'pro');
    const resetAt = monthWindow(new Date()).resetAt.toISOString();
    const fresh = await stack.call(caller, 'GET', '/chat/quota');
    expect(fresh.status).toBe(200);
    expect(fresh.body).toEqual({
      plan: 'pro',
      tokensPerMonth: 5_000_000,
      tokensUsed: 0,
      resetAt,
      chatRequestsPerHour: 100,
    });
    const id = await stack.conversation(caller);
    const answer = await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'count my tokens' });
    const used = answer.body.assistantMessage.promptTokens + answer.body.assistantMessage.completionTokens;
    expect(used).toBeGreaterThan(0);
    expect((await stack.call(caller, 'GET', '/chat/quota')).body.tokensUsed).toBe(used);
    expect((await stack.call(caller, 'GET', '/chat/quota?tenantId=other')).status).toBe(400);
    // Without the Redis counter, the month is counted again from the messages table.
    await redis.del(TokenUsageStore.key(caller.tenantId, new Date()));
    expect((await stack.call(caller, 'GET', '/chat/quota')).body.tokensUsed).toBe(used);
  });

  it('refuses with 429 quota_exceeded and Retry-After once the month’s tokens are used, before any provider call', async () => {
    const caller = await stack.caller(undefined, 'free');
    await spend(caller.tenantId, 100_000);
    const id = await stack.conversation(caller);
    for (const mode of ['json', 'sse'] as const) {
      const res =
        mode === 'json'
          ? await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'over-quota' })
          : await stack.stream(caller, id, { content: 'over-quota' });
      expect(res.status).toBe(429);
      expect(res.body.error).toMatchObject({
        code: 'quota_exceeded',
        details: { limit: 100_000, used: 100_000, resetAt: monthWindow(new Date()).resetAt.toISOString() },
      });
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(31 * 24 * 3600);
    }
    expect(sentTo('over-quota')).toBe(0);
    expect(
      await stack.rows(caller.tenantId, 'SELECT id FROM {schema}.messages WHERE conversation_id = $1', [id]),
    ).toEqual([]);
    // Another tenant is not affected.
    const other = await stack.caller(undefined, 'free');
    const otherId = await stack.conversation(other);
    expect((await stack.call(other, 'POST', `/conversations/${otherId}/messages`, { content: 'fine' })).status).toBe(
      201,
    );
  });

  it('refuses with 429 rate_limited past the plan’s chat requests per hour; refusals do not count', async () => {
    const caller = await stack.caller(undefined, 'free'); // 10 an hour
    const now = new Date();
    for (const at of [now, new Date(now.getTime() + 3_600_000)]) {
      await redis.set(tenantKey(caller.tenantId, 'chat', 'requests', hourWindow(at).key), 9, 'EX', 7200);
    }
    const id = await stack.conversation(caller);
    // Refused after the limit check (no such conversation): the request is given back.
    expect((await stack.call(caller, 'POST', `/conversations/${randomUUID()}/messages`, { content: 'x' })).status).toBe(
      404,
    );
    expect((await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'tenth' })).status).toBe(201);
    const refused = await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'eleventh' });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited', details: { limit: 10, used: 10 } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
    expect(sentTo('eleventh')).toBe(0);
  });

  it('logs neither message contents at info level nor provider keys', async () => {
    const caller = await stack.caller();
    const id = await stack.conversation(caller);
    await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'a very private thought 93f1' });
    const logged = stack.logs.join('\n');
    expect(logged).toContain('Answer ended');
    expect(logged).not.toContain('private thought 93f1');
    expect(logged).not.toContain('sk-ant-test-key-1234');
    expect(logged).not.toContain('sk-openai-test-key-5678');
  });
});

describe('without any provider configured', () => {
  let stack: ChatStack;
  let caller: Caller;

  beforeAll(async () => {
    stack = await ChatStack.start({
      ANTHROPIC_BASE_URL: undefined,
      ANTHROPIC_API_KEY: undefined,
      OPENAI_BASE_URL: undefined,
      OPENAI_API_KEY: undefined,
    });
    caller = await stack.caller();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('warns at start, naming the variables to set', () => {
    const warning = stack.logs.find((line) => line.includes('No global LLM provider is configured'));
    expect(warning).toBeDefined();
    expect(warning).toContain('ANTHROPIC_API_KEY');
    expect(warning).toContain('OPENAI_API_KEY');
  });

  it('answers 503 provider_not_configured saying exactly what to set, and stores nothing', async () => {
    const id = await stack.conversation(caller);
    const res = await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'anyone there?' });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('provider_not_configured');
    for (const hint of ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'PUT /api/v1/chat/providers/']) {
      expect(res.body.error.message).toContain(hint);
    }
    expect(await stack.rows(caller.tenantId, 'SELECT id FROM {schema}.messages')).toEqual([]);
    // The refusal released the conversation and gave the hourly request back.
    expect((await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'again' })).status).toBe(503);
  });
});
