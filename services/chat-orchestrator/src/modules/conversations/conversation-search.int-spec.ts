import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatStack, type Caller } from '../../testing/chat-stack';

/** A conversation with one exchange (the simulator answers `Echo: <message>`). */
async function talk(stack: ChatStack, caller: Caller, title: string, content: string): Promise<string> {
  const id = await stack.conversation(caller, title);
  const sent = await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content });
  expect(sent.status).toBe(201);
  return id;
}

const textOf = (snippet: { text: string }[]) => snippet.map((s) => s.text).join('');
const highlighted = (snippet: { text: string; highlight: boolean }[]) =>
  snippet.filter((s) => s.highlight).map((s) => s.text.toLowerCase());

describe('GET /conversations?q= (full-text search of the caller’s conversations)', () => {
  let stack: ChatStack;
  let alice: Caller;
  let bob: Caller;
  let stranger: Caller;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    stack = await ChatStack.start();
    alice = await stack.caller();
    bob = { ...alice, userId: crypto.randomUUID(), role: 'member' };
    stranger = await stack.caller();
    ids.titleAndBody = await talk(stack, alice, 'Zebra migration notes', 'The zebra herds cross the river in July.');
    ids.bodyOnly = await talk(stack, alice, 'Travel', 'We saw a zebra near the lodge, and elephants.');
    ids.unrelated = await talk(stack, alice, 'Groceries', 'Milk, bread and <b>butter</b>.');
    ids.chinese = await talk(stack, alice, '旅行计划', '我喜欢北京烤鸭，也想去上海。');
    ids.bobs = await talk(stack, bob, 'Bob zebra', 'zebra zebra zebra 北京');
    ids.strangers = await talk(stack, stranger, 'Stranger zebra', 'zebra 北京');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('finds own conversations by title and message words, best match first, with highlighted snippets', async () => {
    const res = await stack.call(alice, 'GET', '/conversations?q=zebra');
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([ids.titleAndBody, ids.bodyOnly]);
    const [first, second] = res.body.items;
    expect(first).toMatchObject({ title: 'Zebra migration notes', messageCount: 2, match: { messageId: null } });
    expect(first.match.rank).toBeGreaterThan(second.match.rank);
    expect(highlighted(first.match.snippet)).toEqual(['zebra']);
    expect(second.match.messageId).toEqual(expect.any(String));
    expect(textOf(second.match.snippet)).toContain('saw a zebra near the lodge');
    expect(highlighted(second.match.snippet)).toEqual(['zebra']);
    expect(res.body.nextCursor).toBeNull();
  });

  it('understands phrases and several words (websearch syntax), case-insensitively', async () => {
    const both = await stack.call(alice, 'GET', `/conversations?q=${encodeURIComponent('ZEBRA elephants')}`);
    expect(both.body.items.map((c: { id: string }) => c.id)).toEqual([ids.bodyOnly]);
    const none = await stack.call(alice, 'GET', `/conversations?q=${encodeURIComponent('"zebra elephants"')}`);
    expect(none.body.items).toEqual([]);
  });

  it('matches Chinese text by substring and highlights it', async () => {
    const res = await stack.call(alice, 'GET', `/conversations?q=${encodeURIComponent('北京')}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([ids.chinese]);
    expect(highlighted(res.body.items[0].match.snippet)).toEqual(['北京']);
    expect(textOf(res.body.items[0].match.snippet)).toContain('我喜欢北京烤鸭');
  });

  it('returns snippets as plain-text segments: HTML tags in a message are left out', async () => {
    const res = await stack.call(alice, 'GET', '/conversations?q=butter');
    expect(res.body.items).toHaveLength(1);
    expect(textOf(res.body.items[0].match.snippet)).toMatch(/Milk, bread and\s+butter/);
    expect(textOf(res.body.items[0].match.snippet)).not.toContain('<b>');
    expect(highlighted(res.body.items[0].match.snippet)).toEqual(['butter']);
  });

  it("never matches another member's conversations in the same tenant", async () => {
    const res = await stack.call(alice, 'GET', '/conversations?q=bob');
    expect(res.body.items).toEqual([]);
    const bobs = await stack.call(bob, 'GET', '/conversations?q=zebra');
    expect(bobs.body.items.map((c: { id: string }) => c.id)).toEqual([ids.bobs]);
  });

  it("never matches another tenant's conversations", async () => {
    const res = await stack.call(stranger, 'GET', '/conversations?q=zebra');
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([ids.strangers]);
    const chinese = await stack.call(stranger, 'GET', `/conversations?q=${encodeURIComponent('北京')}`);
    expect(chinese.body.items.map((c: { id: string }) => c.id)).toEqual([ids.strangers]);
    const mine = await stack.call(alice, 'GET', '/conversations?q=stranger');
    expect(mine.body.items).toEqual([]);
  });

  it('pages with nextCursor until the end', async () => {
    const first = await stack.call(alice, 'GET', '/conversations?q=zebra&limit=1');
    expect(first.body.items.map((c: { id: string }) => c.id)).toEqual([ids.titleAndBody]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await stack.call(alice, 'GET', `/conversations?q=zebra&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((c: { id: string }) => c.id)).toEqual([ids.bodyOnly]);
    expect(second.body.nextCursor).toBeNull();
  });

  it.each([
    ['a blank query', '?q=%20%20'],
    ['a query over 200 characters', `?q=${'a'.repeat(201)}`],
    ['a forged cursor', '?q=zebra&cursor=bm9wZQ'],
    ['a list cursor used for a search', '?q=zebra&cursor=WyIyMDI2LTAxLTAxVDAwOjAwOjAwLjAwMDAwMFoiLCJ4Il0'],
    ['an unknown parameter', '?q=zebra&sort=asc'],
  ])('refuses %s with 400 validation_failed', async (_what, query) => {
    const res = await stack.call(alice, 'GET', `/conversations${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});
