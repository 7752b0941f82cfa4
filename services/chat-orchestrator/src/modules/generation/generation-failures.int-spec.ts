import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatStack, messageIdOf, type Caller } from '../../testing/chat-stack';

/** Retries, fallback, and failures before and after the first token (chain: anthropic, then openai). */
describe('provider failures', () => {
  let stack: ChatStack;
  let caller: Caller;

  const stored = async (messageId: string) =>
    (
      await stack.rows(
        caller.tenantId,
        'SELECT content, status, provider, error_code, error_message, finish_reason FROM {schema}.messages WHERE id = $1',
        [messageId],
      )
    )[0];
  const requestsFor = (marker: string) => stack.sim.requests.filter((r) => r.prompt.includes(marker));

  beforeAll(async () => {
    stack = await ChatStack.start({ CHAT_PROVIDER_MAX_RETRIES: '2', CHAT_GENERATION_MAX_MS: '2000' });
    caller = await stack.caller();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('retries an overloaded provider, then streams its answer', async () => {
    stack.sim.when({ promptIncludes: 'retry-me', protocol: 'anthropic' }, { status: 529, times: 1 });
    const id = await stack.conversation(caller);
    const { events } = await stack.stream(caller, id, { content: 'retry-me' });
    expect(events.map((e) => e.type)).toEqual(['message.started', 'token', 'token', 'message.completed']);
    expect(events[0]).toMatchObject({ provider: 'global:anthropic' });
    expect(requestsFor('retry-me').map((r) => [r.protocol, r.status])).toEqual([
      ['anthropic', 529],
      ['anthropic', 200],
    ]);
    expect(await stored(messageIdOf(events))).toMatchObject({ status: 'complete', content: 'Echo: retry-me' });
  });

  it('falls back to the next provider when the first refuses the key', async () => {
    stack.sim.when({ promptIncludes: 'fallback-me', protocol: 'anthropic' }, { status: 401 });
    const id = await stack.conversation(caller);
    const { events } = await stack.stream(caller, id, { content: 'fallback-me' });
    expect(events[0]).toMatchObject({ type: 'message.started', provider: 'global:openai', model: 'gpt-4.1-mini' });
    expect(events.at(-1)).toMatchObject({ type: 'message.completed', status: 'complete' });
    expect(requestsFor('fallback-me').map((r) => [r.protocol, r.status])).toEqual([
      ['anthropic', 401],
      ['openai', 200],
    ]);
    expect(await stored(messageIdOf(events))).toMatchObject({
      provider: 'global:openai',
      content: 'Echo: fallback-me',
    });
  });

  it('a mid-stream failure sends error (partial) and stores the partial answer as failed', async () => {
    stack.sim.when(
      { promptIncludes: 'break-midway' },
      { chunks: ['one', ' two', ' three', ' four', ' five'], errorAfterChunks: 3 },
    );
    const id = await stack.conversation(caller);
    const { events } = await stack.stream(caller, id, { content: 'break-midway' });
    expect(events.map((e) => e.type)).toEqual(['message.started', 'token', 'token', 'token', 'error']);
    expect(events.at(-1)).toEqual({
      type: 'error',
      conversationId: id,
      messageId: messageIdOf(events),
      seq: 4,
      code: 'provider_unavailable',
      message: expect.any(String),
      requestId: expect.any(String),
      partial: true,
    });
    expect(requestsFor('break-midway')).toHaveLength(1); // nothing is retried after the first token
    expect(await stored(messageIdOf(events))).toMatchObject({
      status: 'failed',
      content: 'one two three',
      error_code: 'provider_unavailable',
      finish_reason: null,
    });
  });

  it('a broken connection mid-stream is a partial failure too', async () => {
    stack.sim.when({ promptIncludes: 'drop-midway' }, { chunks: ['a', ' b', ' c', ' d'], disconnectAfterChunks: 2 });
    const id = await stack.conversation(caller);
    const { events } = await stack.stream(caller, id, { content: 'drop-midway' });
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'provider_unavailable', partial: true });
    expect(await stored(messageIdOf(events))).toMatchObject({ status: 'failed', content: 'a b' });
  });

  it('when every provider fails before the first token: error (not partial), answer stored failed and empty', async () => {
    stack.sim.when({ promptIncludes: 'all-down' }, { status: 500 });
    const id = await stack.conversation(caller);
    const { events } = await stack.stream(caller, id, { content: 'all-down' });
    expect(events.map((e) => e.type)).toEqual(['message.started', 'error']);
    expect(events[1]).toMatchObject({ code: 'provider_unavailable', partial: false });
    // 1 + 2 retries on each of the two targets.
    expect(requestsFor('all-down').map((r) => r.protocol)).toEqual([
      'anthropic',
      'anthropic',
      'anthropic',
      'openai',
      'openai',
      'openai',
    ]);
    expect(await stored(messageIdOf(events))).toMatchObject({
      status: 'failed',
      content: '',
      error_code: 'provider_unavailable',
    });
  });

  it('in JSON mode, a failure is the problem response of its code', async () => {
    stack.sim.when({ promptIncludes: 'json-down' }, { status: 400, times: 2 }); // both targets refuse, once
    const id = await stack.conversation(caller);
    const res = await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'json-down' });
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({
      code: 'provider_rejected',
      details: { userMessageId: expect.any(String), assistantMessageId: expect.any(String), partial: false },
    });
    expect(await stored(res.body.error.details.assistantMessageId)).toMatchObject({
      status: 'failed',
      error_code: 'provider_rejected',
    });
    // The next message is accepted: the conversation was released.
    const next = await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'and now?' });
    expect(next.status).toBe(201);
  });

  it('bounds an answer by CHAT_GENERATION_MAX_MS: the upstream request is aborted, the partial answer failed', async () => {
    stack.sim.when({ promptIncludes: 'too-slow' }, { chunks: ['slow', ' and', ' steady'], tokenDelayMs: 1500 });
    const id = await stack.conversation(caller);
    const { events } = await stack.stream(caller, id, { content: 'too-slow' });
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'provider_timeout', partial: true });
    await stack.sim.waitFor((r) => r.prompt.includes('too-slow') && r.aborted);
    expect(await stored(messageIdOf(events))).toMatchObject({ status: 'failed', error_code: 'provider_timeout' });
  });

  it('a provider key never shows in an error, a stored message or an event', async () => {
    stack.sim.when({ promptIncludes: 'leak-check' }, { status: 401 });
    const id = await stack.conversation(caller);
    const { events } = await stack.stream(caller, id, { content: 'leak-check' });
    const messages = await stack.call(caller, 'GET', `/conversations/${id}/messages`);
    for (const text of [JSON.stringify(events), JSON.stringify(messages.body)]) {
      expect(text).not.toContain('sk-ant-test-key-1234');
      expect(text).not.toContain('sk-openai-test-key-5678');
    }
  });

  it('closes as failed an answer a dead replica left streaming, when the conversation is next used', async () => {
    const id = await stack.conversation(caller);
    const orphan = '7c3f8a2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
    await stack.rows(
      caller.tenantId,
      `INSERT INTO {schema}.messages (id, conversation_id, role, content, status, author_kind, author_id)
       VALUES ($1, $2, 'assistant', 'half an answ', 'streaming', 'user', $3)`,
      [orphan, id, caller.userId],
    );
    const { events } = await stack.stream(caller, id, { content: 'after the crash' });
    expect(events.at(-1)).toMatchObject({ type: 'message.completed', status: 'complete' });
    expect(await stored(orphan)).toMatchObject({
      status: 'failed',
      content: 'half an answ',
      error_code: 'service_unavailable',
    });
  });
});
