import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatStack, headersOf, type Caller } from '../../testing/chat-stack';

/** Oldest first: role and content of each stored message. */
async function transcript(stack: ChatStack, caller: Caller, id: string): Promise<string[]> {
  const res = await stack.call(caller, 'GET', `/conversations/${id}/messages?limit=100`);
  return (res.body.items as { role: string; content: string }[]).reverse().map((m) => `${m.role}: ${m.content}`);
}

describe('regenerate the last answer, edit and resend the last question', () => {
  let stack: ChatStack;
  let alice: Caller;

  beforeAll(async () => {
    stack = await ChatStack.start();
    alice = await stack.caller();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function twoExchanges(): Promise<{ id: string; lastAnswerId: string }> {
    const id = await stack.conversation(alice);
    await stack.call(alice, 'POST', `/conversations/${id}/messages`, { content: 'first question' });
    const second = await stack.call(alice, 'POST', `/conversations/${id}/messages`, { content: 'second question' });
    return { id, lastAnswerId: second.body.assistantMessage.id };
  }

  it('regenerate answers the last question again in place of its answer, without the old answer in the prompt', async () => {
    const { id, lastAnswerId } = await twoExchanges();
    stack.sim.when({ promptIncludes: 'second question' }, { text: 'a better answer', times: 1 });
    const res = await stack.call(alice, 'POST', `/conversations/${id}/regenerate`, {});
    expect(res.status).toBe(201);
    expect(res.body.userMessage.content).toBe('second question');
    expect(res.body.assistantMessage).toMatchObject({ content: 'a better answer', status: 'complete' });
    expect(res.body.assistantMessage.id).not.toBe(lastAnswerId);
    expect(await transcript(stack, alice, id)).toEqual([
      'user: first question',
      'assistant: Echo: first question',
      'user: second question',
      'assistant: a better answer',
    ]);
    const request = stack.sim.requests.at(-1);
    expect(request?.prompt).toContain('Echo: first question');
    expect(request?.prompt).not.toContain('Echo: second question');
    expect((await stack.call(alice, 'GET', `/conversations/${id}`)).body.messageCount).toBe(4);
  });

  it('regenerate streams over SSE like a new message, with another model when asked', async () => {
    const { id } = await twoExchanges();
    const res = await stack.call(alice, 'POST', `/conversations/${id}/regenerate`, { model: 'gpt-4o' });
    expect(res.status).toBe(201);
    expect(res.body.assistantMessage.model).toBe('gpt-4o');
    const streamed = await fetch(`${stack.base}/conversations/${id}/regenerate`, {
      method: 'POST',
      headers: { ...(await headersOf(alice)), accept: 'text/event-stream' },
    });
    expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await streamed.text();
    expect(text).toContain('event: message.started');
    expect(text).toContain('event: message.completed');
    expect(await transcript(stack, alice, id)).toHaveLength(4);
  });

  it('resend replaces the last question and its answer with the edited question and a new answer', async () => {
    const { id } = await twoExchanges();
    const res = await stack.call(alice, 'POST', `/conversations/${id}/resend`, { content: 'second question, edited' });
    expect(res.status).toBe(201);
    expect(await transcript(stack, alice, id)).toEqual([
      'user: first question',
      'assistant: Echo: first question',
      'user: second question, edited',
      'assistant: Echo: second question, edited',
    ]);
    expect(stack.sim.requests.at(-1)?.prompt).not.toContain('second question\n');
  });

  it('refuses with 409 nothing_to_regenerate when there is no question yet', async () => {
    const id = await stack.conversation(alice);
    for (const [path, body] of [
      ['regenerate', {}],
      ['resend', { content: 'x' }],
    ] as const) {
      const res = await stack.call(alice, 'POST', `/conversations/${id}/${path}`, body);
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 409, code: 'nothing_to_regenerate' });
    }
    expect(await transcript(stack, alice, id)).toEqual([]);
  });

  it.each([
    ['regenerate with an unknown field', 'regenerate', { content: 'x' }],
    ['regenerate with a malformed model', 'regenerate', { model: 'no spaces please' }],
    ['resend without content', 'resend', {}],
    ['resend with blank content', 'resend', { content: '   ' }],
  ])('refuses %s with 400 validation_failed', async (_what, path, body) => {
    const { id } = await twoExchanges();
    const res = await stack.call(alice, 'POST', `/conversations/${id}/${path}`, body);
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
  });

  it("another member cannot regenerate or resend in the caller's conversation", async () => {
    const { id } = await twoExchanges();
    const before = await transcript(stack, alice, id);
    const requests = stack.sim.requests.length;
    const bob: Caller = { tenantId: alice.tenantId, userId: randomUUID(), role: 'owner' };
    for (const [path, body] of [
      ['regenerate', {}],
      ['resend', { content: 'hijack' }],
    ] as const) {
      const res = await stack.call(bob, 'POST', `/conversations/${id}/${path}`, body);
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 404, code: 'not_found' });
    }
    expect(await transcript(stack, alice, id)).toEqual(before);
    expect(stack.sim.requests.length).toBe(requests);
  });

  it("another tenant cannot regenerate or resend in the caller's conversation, even with the same user id", async () => {
    const { id } = await twoExchanges();
    const before = await transcript(stack, alice, id);
    const intruder: Caller = { tenantId: await stack.tenant(), userId: alice.userId };
    for (const [path, body] of [
      ['regenerate', {}],
      ['resend', { content: 'hijack' }],
    ] as const) {
      const res = await stack.call(intruder, 'POST', `/conversations/${id}/${path}`, body);
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 404, code: 'not_found' });
    }
    expect(await transcript(stack, alice, id)).toEqual(before);
  });
});
