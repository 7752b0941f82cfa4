import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatTestApp, expectProblem, type TestPrincipal } from '../skills/testing/chat-test-app';

interface Usage {
  prompt?: number;
  completion?: number;
  cost?: number;
}

describe('chat stats per UTC day and per user, from the stored messages', () => {
  let t: ChatTestApp;
  let acme: string;
  let globex: string;
  let owner: TestPrincipal;
  let alice: TestPrincipal;
  let bob: TestPrincipal;
  let bot: TestPrincipal;
  let globexOwner: TestPrincipal;

  const conversation = async (tenantId: string, who: TestPrincipal, createdAt: string): Promise<string> => {
    const id = randomUUID();
    await t.rows(
      tenantId,
      `INSERT INTO conversations (id, owner_kind, owner_id, title, created_at, updated_at) VALUES ($1, $2, $3, 'T', $4, $4)`,
      [id, who.kind, who.id, createdAt],
    );
    return id;
  };
  /** A user message by `author`, or an assistant message (tokens and cost) written for `author`. */
  const message = async (
    tenantId: string,
    conversationId: string,
    role: 'user' | 'assistant',
    author: { kind: string; id: string },
    createdAt: string,
    usage: Usage = {},
    status = 'complete',
  ) => {
    await t.rows(
      tenantId,
      `INSERT INTO messages (id, conversation_id, role, content, status, author_kind, author_id,
                             prompt_tokens, completion_tokens, cost_micros, created_at)
       VALUES ($1, $2, $3, 'x', $4, $5, $6, $7, $8, $9, $10)`,
      [
        randomUUID(),
        conversationId,
        role,
        status,
        author.kind,
        author.id,
        usage.prompt ?? 0,
        usage.completion ?? 0,
        usage.cost ?? 0,
        createdAt,
      ],
    );
  };
  const stats = (who: TestPrincipal, query: string) => t.call(who, 'GET', `/chat/stats${query}`);
  const day = (date: string, conversations = 0, messages = 0, prompt = 0, completion = 0, cost = 0) => ({
    date,
    conversations,
    messages,
    promptTokens: prompt,
    completionTokens: completion,
    costMicros: cost,
  });

  beforeAll(async () => {
    t = await ChatTestApp.start();
    acme = await t.createTenant('Acme');
    globex = await t.createTenant('Globex');
    owner = t.principal(acme, 'owner');
    alice = t.principal(acme, 'member');
    bob = t.principal(acme, 'member');
    bot = t.principal(acme, 'api-key');

    // Alice: a conversation from before the range, answered just after midnight of its first day.
    const old = await conversation(acme, alice, '2025-02-28T23:59:59Z');
    await message(acme, old, 'user', alice, '2025-02-28T23:59:59Z');
    await message(acme, old, 'assistant', alice, '2025-03-01T00:00:01Z', { prompt: 100, completion: 100, cost: 1000 });
    // Alice: a conversation across two UTC days; one answer failed but used tokens.
    const a1 = await conversation(acme, alice, '2025-03-01T23:30:00Z');
    await message(acme, a1, 'user', alice, '2025-03-01T23:30:00Z');
    await message(acme, a1, 'assistant', alice, '2025-03-01T23:59:59.999Z', { prompt: 10, completion: 20, cost: 300 });
    await message(acme, a1, 'user', alice, '2025-03-02T00:00:00Z');
    // An assistant message counts for its conversation's owner, whatever its author columns say.
    await message(
      acme,
      a1,
      'assistant',
      { kind: 'anonymous', id: 'someone-else' },
      '2025-03-02T00:01:00Z',
      { prompt: 30, completion: 40, cost: 700 },
      'failed',
    );
    // Bob, on the second day.
    const b1 = await conversation(acme, bob, '2025-03-02T10:00:00Z');
    await message(acme, b1, 'user', bob, '2025-03-02T10:00:00Z');
    await message(acme, b1, 'assistant', bob, '2025-03-02T10:00:05Z', { prompt: 5, completion: 6, cost: 11 });
    // An API key, on the fourth day; and a message after the range.
    const k1 = await conversation(acme, bot, '2025-03-04T08:00:00Z');
    await message(acme, k1, 'user', bot, '2025-03-04T08:00:00Z');
    await message(acme, k1, 'assistant', bot, '2025-03-04T08:00:02Z', { prompt: 1, completion: 2, cost: 3 });
    await message(acme, k1, 'user', bot, '2025-03-05T00:00:00Z');

    // Globex, same days, big numbers: never in Acme's stats.
    globexOwner = t.principal(globex, 'owner');
    const g = globexOwner;
    const g1 = await conversation(globex, g, '2025-03-01T12:00:00Z');
    await message(globex, g1, 'user', g, '2025-03-01T12:00:00Z');
    await message(globex, g1, 'assistant', g, '2025-03-01T12:00:01Z', { prompt: 9000, completion: 9000, cost: 90000 });
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('gives owners and admins the tenant-wide numbers per UTC day, days without activity as zeros', async () => {
    const res = await stats(owner, '?from=2025-03-01&to=2025-03-04');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: '2025-03-01',
      to: '2025-03-04',
      days: [
        day('2025-03-01', 1, 3, 110, 120, 1300),
        day('2025-03-02', 1, 4, 35, 46, 711),
        day('2025-03-03'),
        day('2025-03-04', 1, 2, 1, 2, 3),
      ],
    });
    const admin = t.principal(acme, 'admin');
    expect((await stats(admin, '?from=2025-03-01&to=2025-03-04')).body).toEqual(res.body);
  });

  it('gives everyone else their own numbers only', async () => {
    expect((await stats(alice, '?from=2025-03-01&to=2025-03-04')).body.days).toEqual([
      day('2025-03-01', 1, 3, 110, 120, 1300),
      day('2025-03-02', 0, 2, 30, 40, 700),
      day('2025-03-03'),
      day('2025-03-04'),
    ]);
    expect((await stats(bob, '?from=2025-03-02&to=2025-03-02')).body.days).toEqual([day('2025-03-02', 1, 2, 5, 6, 11)]);
    expect((await stats(bot, '?from=2025-03-01&to=2025-03-05')).body.days).toEqual([
      day('2025-03-01'),
      day('2025-03-02'),
      day('2025-03-03'),
      day('2025-03-04', 1, 2, 1, 2, 3),
      day('2025-03-05', 0, 1),
    ]);
    const billing = t.principal(acme, 'billing');
    expect(
      (await stats(billing, '?from=2025-03-01&to=2025-03-04')).body.days.every(
        (d: { messages: number }) => d.messages === 0,
      ),
    ).toBe(true);
  });

  it('splits by user for owners and admins (by=user), grouping assistant messages with their conversation owner', async () => {
    const res = await stats(owner, '?from=2025-03-01&to=2025-03-04&by=user');
    expect(res.status).toBe(200);
    expect(res.body.users).toEqual([
      {
        kind: 'user',
        userId: alice.id,
        conversations: 1,
        messages: 5,
        promptTokens: 140,
        completionTokens: 160,
        costMicros: 2000,
      },
      {
        kind: 'user',
        userId: bob.id,
        conversations: 1,
        messages: 2,
        promptTokens: 5,
        completionTokens: 6,
        costMicros: 11,
      },
      {
        kind: 'api-key',
        userId: bot.id,
        conversations: 1,
        messages: 2,
        promptTokens: 1,
        completionTokens: 2,
        costMicros: 3,
      },
    ]);
    expect(res.body.days).toHaveLength(4);
    expect((await stats(owner, '?from=2025-03-03&to=2025-03-03&by=user')).body.users).toEqual([]);
  });

  it('refuses by=user to members, billing users and API keys (403 forbidden)', async () => {
    for (const who of [alice, bot, t.principal(acme, 'billing')]) {
      expectProblem(await stats(who, '?from=2025-03-01&to=2025-03-04&by=user'), 403, 'forbidden');
    }
  });

  it('defaults to the last 30 UTC days', async () => {
    const res = await stats(owner, '');
    expect(res.status).toBe(200);
    expect(res.body.days).toHaveLength(30);
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect([today, yesterday]).toContain(res.body.to); // tolerate a run across midnight UTC
    expect(res.body.days.at(-1).date).toBe(res.body.to);
    expect(res.body.days[0].date).toBe(res.body.from);
  });

  it.each([
    ['from after to', '?from=2025-03-05&to=2025-03-01'],
    ['367 days', '?from=2024-01-01&to=2025-01-01'],
    ['an impossible date', '?from=2025-02-30&to=2025-03-01'],
    ['a timestamp', '?from=2025-03-01T00:00:00Z&to=2025-03-02'],
    ['an unknown parameter', '?from=2025-03-01&to=2025-03-02&tenantId=x'],
    ['an unknown grouping', '?by=team'],
    ['a repeated parameter', '?from=2025-03-01&from=2025-03-02'],
  ])('answers %s with 400 validation_failed', async (_, query) => {
    expectProblem(await stats(owner, query), 400, 'validation_failed');
  });

  it('accepts exactly 366 days', async () => {
    const res = await stats(owner, '?from=2024-03-05&to=2025-03-05');
    expect(res.status).toBe(200);
    expect(res.body.days).toHaveLength(366);
    expect(res.body.days.reduce((sum: number, d: { messages: number }) => sum + d.messages, 0)).toBe(11);
  });

  it("another tenant's messages are not counted, and it sees only its own", async () => {
    const acmeTotal = (await stats(owner, '?from=2025-03-01&to=2025-03-01&by=user')).body;
    expect(acmeTotal.days[0].costMicros).toBe(1300);
    expect(acmeTotal.users.map((u: { userId: string }) => u.userId)).not.toContain(globexOwner.id);
    const res = await stats(globexOwner, '?from=2025-03-01&to=2025-03-02&by=user');
    expect(res.body.days).toEqual([day('2025-03-01', 1, 2, 9000, 9000, 90000), day('2025-03-02')]);
    expect(res.body.users).toHaveLength(1);
    // Acme's user id under Globex's tenant is a Globex principal with no activity.
    expect((await stats({ ...alice, tenantId: globex }, '?from=2025-03-01&to=2025-03-02')).body.days).toEqual([
      day('2025-03-01'),
      day('2025-03-02'),
    ]);
  });
});
