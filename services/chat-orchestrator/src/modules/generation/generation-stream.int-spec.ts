import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTokens } from 'gpt-tokenizer';
import { costMicros, PRICE_TABLE, priceOf } from '../accounting/price-table';
import { ChatStack, messageIdOf, type Caller } from '../../testing/chat-stack';

const CHUNKS = Array.from({ length: 40 }, (_, i) => `${i === 0 ? '' : ' '}word${i}`);

describe.each([
  { kind: 'anthropic' as const, model: 'claude-sonnet-4-5', path: '/v1/messages' },
  { kind: 'openai' as const, model: 'gpt-4.1-mini', path: '/v1/chat/completions' },
])('a streamed answer over SSE from an $kind target', ({ kind, model, path }) => {
  let stack: ChatStack;
  let caller: Caller;

  beforeAll(async () => {
    stack = await ChatStack.start({ CHAT_PROVIDER_CHAIN: kind });
    caller = await stack.caller();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('sends message.started, every token in order, then message.completed, and stores the answer', async () => {
    stack.sim.when({ promptIncludes: 'count for me' }, { chunks: CHUNKS, tokenDelayMs: 1 });
    const id = await stack.conversation(caller);
    const res = await stack.stream(caller, id, { content: 'count for me' }, { headers: { 'x-request-id': 'req-42' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-accel-buffering')).toBe('no');

    const { events, frames } = res;
    expect(events.map((e, i) => [e.seq, frames[i]?.event, frames[i]?.id])).toEqual(
      events.map((e, i) => [i, e.type, String(i)]),
    );
    const [started, ...rest] = events;
    expect(started).toEqual({
      type: 'message.started',
      conversationId: id,
      messageId: expect.any(String),
      seq: 0,
      userMessageId: expect.any(String),
      provider: `global:${kind}`,
      model,
      skill: null,
      requestId: 'req-42',
    });
    const tokens = rest.filter((e) => e.type === 'token');
    expect(tokens.map((t) => (t.type === 'token' ? t.index : -1))).toEqual(CHUNKS.map((_, i) => i));
    expect(tokens.map((t) => (t.type === 'token' ? t.text : '')).join('')).toBe(CHUNKS.join(''));
    const completed = events.at(-1);
    const request = stack.sim.requests.find((r) => r.prompt.includes('count for me'));
    const promptTokens = countTokens(request?.prompt ?? '');
    const completionTokens = CHUNKS.reduce((sum, chunk) => sum + countTokens(chunk), 0);
    const price = priceOf(PRICE_TABLE, kind, model);
    expect(price).not.toBeNull();
    expect(completed).toEqual({
      type: 'message.completed',
      conversationId: id,
      messageId: started?.messageId,
      seq: CHUNKS.length + 1,
      status: 'complete',
      finishReason: 'stop',
      usage: {
        promptTokens,
        completionTokens,
        estimated: false,
        costMicros: price ? costMicros(price, promptTokens, completionTokens) : -1,
      },
    });

    expect(request).toMatchObject({ protocol: kind, path, stream: true, model, completed: true, aborted: false });
    const [row] = await stack.rows(caller.tenantId, 'SELECT * FROM {schema}.messages WHERE id = $1', [
      messageIdOf(events),
    ]);
    expect(row).toMatchObject({
      role: 'assistant',
      content: CHUNKS.join(''),
      status: 'complete',
      provider: `global:${kind}`,
      model,
      finish_reason: 'stop',
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      usage_estimated: false,
      price_table_version: PRICE_TABLE.version,
      error_code: null,
    });
    expect(Number(row?.cost_micros)).toBeGreaterThan(0);
    expect(row?.first_token_ms).toEqual(expect.any(Number));
    expect(row?.duration_ms).toBeGreaterThanOrEqual(row?.first_token_ms as number);
  });

  it('estimates usage with the tokenizer when the provider reports none', async () => {
    stack.sim.when(
      { promptIncludes: 'no usage please' },
      { text: 'an answer without any usage report', omitUsage: true },
    );
    const id = await stack.conversation(caller);
    const { events } = await stack.stream(caller, id, { content: 'no usage please' });
    const completed = events.at(-1);
    expect(completed).toMatchObject({
      type: 'message.completed',
      status: 'complete',
      usage: {
        estimated: true,
        completionTokens: countTokens('an answer without any usage report'),
        promptTokens: expect.any(Number),
      },
    });
    expect(completed?.type === 'message.completed' && completed.usage.promptTokens).toBeGreaterThan(0);
    const [row] = await stack.rows(caller.tenantId, 'SELECT usage_estimated FROM {schema}.messages WHERE id = $1', [
      messageIdOf(events),
    ]);
    expect(row?.usage_estimated).toBe(true);
  });
});

describe('answers: JSON mode, history, skills and model choice', () => {
  let stack: ChatStack;
  let caller: Caller;

  beforeAll(async () => {
    stack = await ChatStack.start();
    caller = await stack.caller();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 201 with both messages when the client does not ask for a stream', async () => {
    const id = await stack.conversation(caller);
    const res = await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'plain json please' });
    expect(res.status).toBe(201);
    expect(res.body.userMessage).toMatchObject({ conversationId: id, role: 'user', content: 'plain json please' });
    expect(res.body.assistantMessage).toMatchObject({
      conversationId: id,
      role: 'assistant',
      content: 'Echo: plain json please',
      status: 'complete',
      provider: 'global:anthropic',
      usageEstimated: false,
      error: null,
    });
    const listed = await stack.call(caller, 'GET', `/conversations/${id}/messages`);
    // A list also tells the feedback given on each message (none yet).
    expect(listed.body.items).toEqual([
      { ...res.body.assistantMessage, feedback: null },
      { ...res.body.userMessage, feedback: null },
    ]);
  });

  it('sends the earlier turns as history, oldest first', async () => {
    const id = await stack.conversation(caller);
    await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'my name is Ada' });
    await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'what is my name?' });
    const request = stack.sim.requests.find((r) => r.prompt.includes('what is my name?'));
    expect(request?.body?.messages).toEqual([
      { role: 'user', content: 'my name is Ada' },
      { role: 'assistant', content: 'Echo: my name is Ada' },
      { role: 'user', content: 'what is my name?' },
    ]);
  });

  it('applies a skill: its system prompt goes to the provider and the answer names it', async () => {
    const id = await stack.conversation(caller);
    const { events } = await stack.stream(caller, id, { content: '/doc the retry policy' });
    expect(events[0]).toMatchObject({ type: 'message.started', skill: '/doc' });
    const request = stack.sim.requests.find((r) => r.prompt.includes('the retry policy'));
    expect(typeof request?.body?.system).toBe('string');
    expect(request?.body?.messages).toEqual([{ role: 'user', content: 'the retry policy' }]);
    const stored = await stack.call(caller, 'GET', `/conversations/${id}/messages`);
    expect(stored.body.items[0]).toMatchObject({ skill: '/doc', status: 'complete' });
    expect(stored.body.items[1]).toMatchObject({ content: '/doc the retry policy' });
  });

  it('refuses an unknown skill before any provider call', async () => {
    const id = await stack.conversation(caller);
    const before = stack.sim.requests.length;
    const res = await stack.stream(caller, id, { content: '/no-such-skill do it' });
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'unknown_skill' });
    expect(stack.sim.requests.length).toBe(before);
    expect(
      await stack.rows(caller.tenantId, 'SELECT id FROM {schema}.messages WHERE conversation_id = $1', [id]),
    ).toEqual([]);
  });

  it('uses the model the message asks for', async () => {
    const id = await stack.conversation(caller);
    const { events } = await stack.stream(caller, id, { content: 'use haiku', model: 'claude-haiku-4-5' });
    expect(events[0]).toMatchObject({ type: 'message.started', model: 'claude-haiku-4-5' });
    expect(stack.sim.requests.find((r) => r.prompt.includes('use haiku'))?.model).toBe('claude-haiku-4-5');
  });
});
