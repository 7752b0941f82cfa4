import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatStack, type Caller } from '../../testing/chat-stack';

describe('conversations: owned by their creator, paged, strictly validated', () => {
  let stack: ChatStack;
  let alice: Caller;

  beforeAll(async () => {
    stack = await ChatStack.start();
    alice = await stack.caller();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('creates, reads, renames and deletes a conversation', async () => {
    const created = await stack.call(alice, 'POST', '/conversations', { title: '  Trip plans ' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      title: 'Trip plans',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      lastMessageAt: null,
      messageCount: 0,
      pinned: false,
    });
    const id = created.body.id;
    expect((await stack.call(alice, 'GET', `/conversations/${id}`)).body).toEqual(created.body);

    const renamed = await stack.call(alice, 'PATCH', `/conversations/${id}`, { title: 'Lisbon' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.title).toBe('Lisbon');
    expect(Date.parse(renamed.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));

    expect((await stack.call(alice, 'DELETE', `/conversations/${id}`)).status).toBe(204);
    expect((await stack.call(alice, 'GET', `/conversations/${id}`)).status).toBe(404);
    expect((await stack.call(alice, 'DELETE', `/conversations/${id}`)).status).toBe(404);
  });

  it('gives a default title', async () => {
    const created = await stack.call(alice, 'POST', '/conversations');
    expect(created.status).toBe(201);
    expect(created.body.title).toBe('New conversation');
  });

  it('deletes the messages with their conversation', async () => {
    const id = await stack.conversation(alice);
    const sent = await stack.call(alice, 'POST', `/conversations/${id}/messages`, { content: 'hello there' });
    expect(sent.status).toBe(201);
    const count = () =>
      stack.rows<{ n: string }>(
        alice.tenantId,
        'SELECT count(*)::text AS n FROM {schema}.messages WHERE conversation_id = $1',
        [id],
      );
    expect((await count())[0]?.n).toBe('2');
    expect((await stack.call(alice, 'DELETE', `/conversations/${id}`)).status).toBe(204);
    expect((await count())[0]?.n).toBe('0');
  });

  it('lists newest activity first, in pages with an opaque cursor, without gaps or repeats', async () => {
    const caller = await stack.caller();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await stack.conversation(caller, `c${i}`));
    // Activity moves c1 to the top.
    await stack.call(caller, 'PATCH', `/conversations/${ids[1]}`, { title: 'c1 renamed' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const page = await stack.call(caller, 'GET', `/conversations${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids[1], ids[4], ids[3], ids[2], ids[0]]);
    const all = await stack.call(caller, 'GET', '/conversations');
    expect(all.body.items).toHaveLength(5);
    expect(all.body.nextCursor).toBeNull();
  });

  it('lists messages newest first, paged', async () => {
    const id = await stack.conversation(alice);
    for (const content of ['first question', 'second question']) {
      expect((await stack.call(alice, 'POST', `/conversations/${id}/messages`, { content })).status).toBe(201);
    }
    const first = await stack.call(alice, 'GET', `/conversations/${id}/messages?limit=3`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((m: { role: string }) => m.role)).toEqual(['assistant', 'user', 'assistant']);
    expect(first.body.items[1]).toMatchObject({ role: 'user', content: 'second question', status: 'complete' });
    expect(first.body.items[0]).toMatchObject({
      conversationId: id,
      role: 'assistant',
      content: 'Echo: second question',
      status: 'complete',
      provider: 'global:anthropic',
      model: expect.any(String),
      skill: null,
      promptTokens: expect.any(Number),
      completionTokens: expect.any(Number),
      usageEstimated: false,
      costMicros: expect.any(Number),
      error: null,
      createdAt: expect.any(String),
      completedAt: expect.any(String),
    });
    const rest = await stack.call(alice, 'GET', `/conversations/${id}/messages?cursor=${first.body.nextCursor}`);
    expect(rest.body.items.map((m: { content: string }) => m.content)).toEqual(['first question']);
    expect(rest.body.nextCursor).toBeNull();
    const conversation = await stack.call(alice, 'GET', `/conversations/${id}`);
    expect(conversation.body.messageCount).toBe(4);
    expect(conversation.body.lastMessageAt).not.toBeNull();
  });

  describe('validation', () => {
    it.each([
      ['an unknown field', { title: 'x', owner: 'someone-else' }],
      ['an empty title', { title: '' }],
      ['a blank title', { title: '   ' }],
      ['a title over 200 characters', { title: 'x'.repeat(201) }],
      ['a non-string title', { title: 42 }],
    ])('refuses %s with 400 validation_failed', async (_what, body) => {
      const res = await stack.call(alice, 'POST', '/conversations', body);
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
    });

    it('refuses NUL bytes, malformed JSON, bad paging and unknown query parameters', async () => {
      const id = await stack.conversation(alice);
      const refusals = [
        await stack.call(alice, 'POST', '/conversations', '{"title":"a\\u0000b"}'),
        await stack.call(alice, 'POST', `/conversations/${id}/messages`, '{"content":"hi\\u0000"}'),
        await stack.call(alice, 'POST', '/conversations', '{"title":'),
        await stack.call(alice, 'GET', '/conversations?limit=0'),
        await stack.call(alice, 'GET', '/conversations?limit=101'),
        await stack.call(alice, 'GET', '/conversations?cursor=not-a-cursor'),
        await stack.call(alice, 'GET', `/conversations/${id}/messages?cursor=eyJ4IjoxfQ`),
        await stack.call(alice, 'GET', '/conversations?tenantId=other'),
      ];
      for (const res of refusals) {
        expect(res.status).toBe(400);
        expect(['validation_failed', 'malformed_json']).toContain(res.body.error.code);
      }
    });

    it('refuses a message over CHAT_MESSAGE_MAX_CHARS or only spaces, and a malformed model', async () => {
      const id = await stack.conversation(alice);
      const max = stack.config.chat?.messageMaxChars ?? 0;
      for (const body of [{ content: 'x'.repeat(max + 1) }, { content: '   ' }, { content: 'hi', model: 'a b' }]) {
        const res = await stack.call(alice, 'POST', `/conversations/${id}/messages`, body);
        expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
      }
    });

    it('answers 404 for an id that is not a UUID, and 401 without the internal principal headers', async () => {
      expect((await stack.call(alice, 'GET', '/conversations/not-a-uuid')).status).toBe(404);
      const anonymous = await stack.call(null, 'GET', '/conversations');
      expect({ status: anonymous.status, code: anonymous.body.error.code }).toEqual({
        status: 401,
        code: 'invalid_principal',
      });
    });
  });

  describe('ownership', () => {
    it('another user of the same tenant cannot see, rename, delete, read or write a conversation', async () => {
      const id = await stack.conversation(alice, 'private');
      const bob: Caller = { tenantId: alice.tenantId, userId: randomUUID() };
      for (const [method, path, body] of [
        ['GET', `/conversations/${id}`, undefined],
        ['PATCH', `/conversations/${id}`, { title: 'mine now' }],
        ['DELETE', `/conversations/${id}`, undefined],
        ['GET', `/conversations/${id}/messages`, undefined],
        ['POST', `/conversations/${id}/messages`, { content: 'hi' }],
        ['POST', `/conversations/${id}/stop`, {}],
      ] as const) {
        const res = await stack.call(bob, method, path, body);
        expect({ method, path, status: res.status, code: res.body?.error?.code }).toEqual({
          method,
          path,
          status: 404,
          code: 'not_found',
        });
      }
      expect((await stack.call(bob, 'GET', '/conversations')).body.items).toEqual([]);
      expect((await stack.call(alice, 'GET', `/conversations/${id}`)).body.title).toBe('private');
    });

    it('an API key sees only the conversations it created, not its tenant users’', async () => {
      const key: Caller = { tenantId: alice.tenantId, apiKeyId: randomUUID(), role: 'member' };
      const mine = await stack.conversation(key, 'from the key');
      const listed = await stack.call(key, 'GET', '/conversations');
      expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([mine]);
      expect((await stack.call(alice, 'GET', `/conversations/${mine}`)).status).toBe(404);
    });

    it('another tenant cannot reach a conversation or its messages, even with the same user id', async () => {
      const id = await stack.conversation(alice, 'tenant A');
      await stack.call(alice, 'POST', `/conversations/${id}/messages`, { content: 'secret of tenant A' });
      const intruder: Caller = { tenantId: await stack.tenant(), userId: alice.userId };
      for (const path of [`/conversations/${id}`, `/conversations/${id}/messages`]) {
        const res = await stack.call(intruder, 'GET', path);
        expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 404, code: 'not_found' });
      }
      const before = stack.sim.requests.length;
      const write = await stack.call(intruder, 'POST', `/conversations/${id}/messages`, { content: 'inject' });
      expect(write.status).toBe(404);
      expect(stack.sim.requests.length).toBe(before);
      const listed = await stack.call(intruder, 'GET', '/conversations');
      expect(JSON.stringify(listed.body)).not.toContain(id);
    });
  });
});
