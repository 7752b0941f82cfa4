import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatStack, type Caller } from '../../testing/chat-stack';

const idsOf = (body: { items: { id: string }[] }) => body.items.map((c) => c.id);

describe('PATCH /conversations/{id} { pinned } and the pinned-first list', () => {
  let stack: ChatStack;
  let alice: Caller;

  beforeAll(async () => {
    stack = await ChatStack.start();
    alice = await stack.caller();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('lists pinned conversations first, each group newest activity first, and pages across the groups', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await stack.conversation(alice, `c${i}`)); // c4 newest
    const pin = await stack.call(alice, 'PATCH', `/conversations/${ids[1]}`, { pinned: true });
    expect(pin.status).toBe(200);
    expect(pin.body).toMatchObject({ id: ids[1], title: 'c1', pinned: true });
    await stack.call(alice, 'PATCH', `/conversations/${ids[3]}`, { pinned: true });
    const expected = [ids[3], ids[1], ids[4], ids[2], ids[0]];
    expect(idsOf((await stack.call(alice, 'GET', '/conversations')).body)).toEqual(expected);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await stack.call(alice, 'GET', `/conversations?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...idsOf(page.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);

    const unpin = await stack.call(alice, 'PATCH', `/conversations/${ids[3]}`, { pinned: false });
    expect(unpin.body.pinned).toBe(false);
    expect(idsOf((await stack.call(alice, 'GET', '/conversations')).body)).toEqual([
      ids[1],
      ids[4],
      ids[3],
      ids[2],
      ids[0],
    ]);
  });

  it('renames and pins in one request; pinning alone does not count as activity', async () => {
    const id = await stack.conversation(alice, 'before');
    const created = (await stack.call(alice, 'GET', `/conversations/${id}`)).body;
    const pinned = await stack.call(alice, 'PATCH', `/conversations/${id}`, { pinned: true });
    expect(pinned.body.updatedAt).toBe(created.updatedAt);
    const both = await stack.call(alice, 'PATCH', `/conversations/${id}`, { title: ' after ', pinned: true });
    expect(both.body).toMatchObject({ title: 'after', pinned: true });
  });

  it.each([
    ['an empty body', {}],
    ['a non-boolean pinned', { pinned: 'yes' }],
    ['an unknown field', { pinned: true, color: 'red' }],
    ['a blank title', { title: '  ' }],
  ])('refuses %s with 400 validation_failed', async (_what, body) => {
    const id = await stack.conversation(alice);
    const res = await stack.call(alice, 'PATCH', `/conversations/${id}`, body);
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
  });

  it("another member cannot pin the caller's conversation", async () => {
    const id = await stack.conversation(alice, 'mine');
    const bob: Caller = { tenantId: alice.tenantId, userId: randomUUID(), role: 'owner' };
    const res = await stack.call(bob, 'PATCH', `/conversations/${id}`, { pinned: true });
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 404, code: 'not_found' });
    expect((await stack.call(alice, 'GET', `/conversations/${id}`)).body.pinned).toBe(false);
  });

  it("another tenant cannot pin the caller's conversation, even with the same user id", async () => {
    const id = await stack.conversation(alice, 'mine');
    const intruder: Caller = { tenantId: await stack.tenant(), userId: alice.userId };
    const res = await stack.call(intruder, 'PATCH', `/conversations/${id}`, { pinned: true, title: 'taken' });
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 404, code: 'not_found' });
    expect((await stack.call(alice, 'GET', `/conversations/${id}`)).body).toMatchObject({
      title: 'mine',
      pinned: false,
    });
  });
});
