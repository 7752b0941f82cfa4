import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatStack, type Caller } from '../../testing/chat-stack';

describe('POST /messages/{id}/feedback (thumbs on an answer)', () => {
  let stack: ChatStack;
  let alice: Caller;
  let answerId: string;
  let questionId: string;

  beforeAll(async () => {
    stack = await ChatStack.start();
    alice = await stack.caller();
    const id = await stack.conversation(alice);
    const sent = await stack.call(alice, 'POST', `/conversations/${id}/messages`, { content: 'hello' });
    expect(sent.status).toBe(201);
    answerId = sent.body.assistantMessage.id;
    questionId = sent.body.userMessage.id;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const feedbackRows = () =>
    stack.rows(alice.tenantId, 'SELECT message_id, author_id, rating, comment FROM {schema}.message_feedback');

  it('stores a thumbs up with a comment, and a second one replaces it (one per member and message)', async () => {
    const up = await stack.call(alice, 'POST', `/messages/${answerId}/feedback`, {
      rating: 'up',
      comment: '  Spot on  ',
    });
    expect(up.status).toBe(200);
    expect(up.body).toEqual({
      messageId: answerId,
      rating: 'up',
      comment: 'Spot on',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const down = await stack.call(alice, 'POST', `/messages/${answerId}/feedback`, { rating: 'down' });
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ rating: 'down', comment: null, createdAt: up.body.createdAt });
    expect(await feedbackRows()).toEqual([
      { message_id: answerId, author_id: alice.userId, rating: 'down', comment: null },
    ]);
  });

  it('shows the feedback on its answer in the message list (null elsewhere)', async () => {
    await stack.call(alice, 'POST', `/messages/${answerId}/feedback`, { rating: 'up', comment: 'nice' });
    const [conversation] = await stack.rows<{ conversation_id: string }>(
      alice.tenantId,
      'SELECT conversation_id FROM {schema}.messages WHERE id = $1',
      [answerId],
    );
    const listed = await stack.call(alice, 'GET', `/conversations/${conversation?.conversation_id}/messages`);
    const byId = new Map(listed.body.items.map((m: { id: string; feedback: unknown }) => [m.id, m.feedback]));
    expect(byId.get(answerId)).toEqual({ rating: 'up', comment: 'nice' });
    expect(byId.get(questionId)).toBeNull();
  });

  it('refuses feedback on a question with 409 feedback_not_allowed', async () => {
    const res = await stack.call(alice, 'POST', `/messages/${questionId}/feedback`, { rating: 'up' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('feedback_not_allowed');
  });

  it.each([
    ['an unknown rating', { rating: 'meh' }],
    ['no rating', { comment: 'x' }],
    ['a comment over 2000 characters', { rating: 'up', comment: 'x'.repeat(2001) }],
    ['an unknown field', { rating: 'up', stars: 5 }],
  ])('refuses %s with 400 validation_failed', async (_what, body) => {
    const res = await stack.call(alice, 'POST', `/messages/${answerId}/feedback`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('takes a comment of exactly 2000 characters', async () => {
    const res = await stack.call(alice, 'POST', `/messages/${answerId}/feedback`, {
      rating: 'up',
      comment: 'y'.repeat(2000),
    });
    expect(res.status).toBe(200);
    expect(res.body.comment).toHaveLength(2000);
  });

  it('answers 404 for a message that does not exist or an id that is not one', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const res = await stack.call(alice, 'POST', `/messages/${id}/feedback`, { rating: 'up' });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it("another member of the tenant cannot give feedback on the caller's answer", async () => {
    const before = await feedbackRows();
    const member = { ...alice, userId: randomUUID(), role: 'member' as const };
    const res = await stack.call(member, 'POST', `/messages/${answerId}/feedback`, { rating: 'down' });
    expect(res.status).toBe(404);
    const owner = { ...alice, userId: randomUUID(), role: 'owner' as const };
    expect((await stack.call(owner, 'POST', `/messages/${answerId}/feedback`, { rating: 'down' })).status).toBe(404);
    expect(await feedbackRows()).toEqual(before);
  });

  it("another tenant cannot give feedback on the caller's answer", async () => {
    const before = await feedbackRows();
    const stranger = await stack.caller();
    const res = await stack.call(stranger, 'POST', `/messages/${answerId}/feedback`, { rating: 'down' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(await feedbackRows()).toEqual(before);
  });

  it('goes with the conversation when it is deleted', async () => {
    const id = await stack.conversation(alice);
    const sent = await stack.call(alice, 'POST', `/conversations/${id}/messages`, { content: 'bye' });
    await stack.call(alice, 'POST', `/messages/${sent.body.assistantMessage.id}/feedback`, { rating: 'up' });
    expect((await stack.call(alice, 'DELETE', `/conversations/${id}`)).status).toBe(204);
    const rows = await stack.rows(alice.tenantId, 'SELECT 1 FROM {schema}.message_feedback WHERE message_id = $1', [
      sent.body.assistantMessage.id,
    ]);
    expect(rows).toEqual([]);
  });
});
