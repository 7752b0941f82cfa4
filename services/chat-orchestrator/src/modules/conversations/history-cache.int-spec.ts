import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantContext, TenantDb } from '@parley/tenancy';
import { ChatStack, type Caller } from '../../testing/chat-stack';
import { HistoryCache } from './history.cache';
import { MessagesRepository, type HistoryRow } from './messages.repository';
import type { Owner } from './owner-command';

/** A replica's view of the messages: its own history cache. */
function replica(limits = { maxEntries: 100, maxBytes: 1 << 20 }): MessagesRepository {
  return new MessagesRepository(new HistoryCache(limits));
}

/** Without a cache: every turn reads the whole history, as before the cache. */
const uncached = () => replica({ maxEntries: 0, maxBytes: 0 });

const show = (history: readonly HistoryRow[] | undefined) =>
  history?.map((turn) => `${turn.role}/${turn.status}: ${turn.content}`);

describe('the history cache (per replica; the exchange statement reads only what is newer)', () => {
  let stack: ChatStack;
  let db: TenantDb;
  let alice: Caller;
  let owner: Owner;

  beforeAll(async () => {
    stack = await ChatStack.start();
    db = stack.app.get(TenantDb);
    alice = await stack.caller();
    owner = { kind: 'user', id: alice.userId ?? '' };
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** One exchange through `repo` (and the answer's end), as the preparer and recorder do; the history it read. */
  async function turn(
    repo: MessagesRepository,
    conversationId: string,
    content: string,
    options: {
      tenantId?: string;
      author?: Owner;
      replaces?: string;
      limit?: number;
      /** The replica dies mid-answer: the answer stays `streaming` with this text checkpointed. */
      diesAfter?: { answerId: string; text: string };
    } = {},
  ): Promise<HistoryRow[] | null> {
    return TenantContext.run(options.tenantId ?? alice.tenantId, async () => {
      const assistantMessageId = options.diesAfter?.answerId ?? randomUUID();
      const started = await repo.startExchange(
        db,
        {
          conversationId,
          author: options.author ?? owner,
          userMessageId: randomUUID(),
          content,
          assistantMessageId,
          skill: null,
          replacesMessageId: options.replaces ?? null,
        },
        options.limit ?? 200,
      );
      if (!started) return null;
      const dies = options.diesAfter;
      if (dies) {
        await db.run((scope) => repo.checkpoint(scope, assistantMessageId, dies.text));
        return started.history;
      }
      await db.run((scope) =>
        repo.complete(scope, {
          id: assistantMessageId,
          content: `answer to ${content}`,
          status: 'complete',
          provider: 'openai',
          model: 'gpt-4.1-mini',
          finishReason: 'stop',
          promptTokens: 1,
          completionTokens: 1,
          usageEstimated: false,
          costMicros: 0,
          priceTableVersion: 'test',
          error: null,
          firstTokenMs: 1,
          durationMs: 1,
        }),
      );
      return started.history;
    });
  }

  const lastQuestionId = async (conversationId: string) =>
    (
      await stack.rows<{ id: string }>(
        alice.tenantId,
        `SELECT id FROM {schema}.messages WHERE conversation_id = $1 AND role = 'user' ORDER BY created_at DESC LIMIT 1`,
        [conversationId],
      )
    )[0]?.id ?? '';

  it('gives the history the uncached read gives, turn after turn, within the history limit', async () => {
    const cachedRepo = replica();
    const plainRepo = uncached();
    for (const limit of [200, 5]) {
      const [a, b] = [await stack.conversation(alice), await stack.conversation(alice)];
      for (let n = 0; n < 12; n++) {
        const fromCache = await turn(cachedRepo, a, `question ${n}`, { limit });
        const uncachedRead = await turn(plainRepo, b, `question ${n}`, { limit });
        expect(show(fromCache ?? undefined)).toEqual(show(uncachedRead ?? undefined));
        expect(fromCache).toHaveLength(Math.min(2 * n, limit));
      }
    }
  });

  it('serves the turns it holds and reads only the newer ones (a change behind its back is not re-read)', async () => {
    const repo = replica();
    const id = await stack.conversation(alice);
    await turn(repo, id, 'one');
    await turn(repo, id, 'two');
    // The platform never changes an eligible turn's text; this direct write shows what is served from memory.
    await stack.rows(alice.tenantId, `UPDATE {schema}.messages SET content = 'edited' WHERE content = 'one'`);
    expect(show((await turn(repo, id, 'three')) ?? undefined)).toEqual([
      'assistant/complete: answer to two',
      'user/complete: two',
      'assistant/complete: answer to one',
      'user/complete: one',
    ]);
    expect(show((await turn(uncached(), id, 'four')) ?? undefined)).toContain('user/complete: edited');
  });

  it('with a cache, still closes an answer a dead replica left streaming after the cached turns', async () => {
    const [repo, dead] = [replica(), replica()];
    const id = await stack.conversation(alice);
    await turn(repo, id, 'one');
    await turn(repo, id, 'two'); // `repo` now holds the history up to "answer to one"
    // Another replica starts an exchange and dies mid-answer: its answer stays `streaming`.
    const orphan = randomUUID();
    await turn(dead, id, 'cut short', { diesAfter: { answerId: orphan, text: 'half an answ' } });
    await turn(repo, id, 'three');
    const [closed] = await stack.rows<{ status: string; error_code: string }>(
      alice.tenantId,
      `SELECT status, error_code FROM {schema}.messages WHERE id = $1`,
      [orphan],
    );
    expect(closed).toEqual({ status: 'failed', error_code: 'service_unavailable' });
    expect(show((await turn(repo, id, 'four')) ?? undefined)?.slice(0, 3)).toEqual([
      'assistant/complete: answer to three',
      'user/complete: three',
      'assistant/failed: half an answ',
    ]);
  });

  it('reads the turns another replica stored in the conversation', async () => {
    const [a, b] = [replica(), replica()];
    const id = await stack.conversation(alice);
    await turn(a, id, 'on a');
    await turn(a, id, 'again on a');
    await turn(b, id, 'on b');
    await turn(b, id, 'again on b');
    expect(show((await turn(a, id, 'back on a')) ?? undefined)).toEqual([
      'assistant/complete: answer to again on b',
      'user/complete: again on b',
      'assistant/complete: answer to on b',
      'user/complete: on b',
      'assistant/complete: answer to again on a',
      'user/complete: again on a',
      'assistant/complete: answer to on a',
      'user/complete: on a',
    ]);
  });

  it('reads the turns another app replica stored, through the HTTP route (the prompt the provider gets)', async () => {
    const other = await stack.replica();
    const id = await stack.conversation(alice);
    const send = async (content: string, base?: string) => {
      const res = await stack.call(alice, 'POST', `/conversations/${id}/messages`, { content }, { base });
      expect(res.status).toBe(201);
    };
    await send('first, here');
    await send('second, there', other);
    await send('third, here');
    const sent = stack.sim.requests.at(-1)?.body as { messages: { content: string }[] };
    expect(sent.messages.map((m) => m.content)).toEqual([
      'first, here',
      'Echo: first, here',
      'second, there',
      'Echo: second, there',
      'third, here',
    ]);
  });

  it('regenerate and edit-and-resend drop the replaced turns, on this replica and on another', async () => {
    const [a, b] = [replica(), replica()];
    const id = await stack.conversation(alice);
    await turn(a, id, 'q1');
    await turn(a, id, 'q2');
    expect(show((await turn(a, id, 'q2 edited', { replaces: await lastQuestionId(id) })) ?? undefined)).toEqual([
      'assistant/complete: answer to q1',
      'user/complete: q1',
    ]);
    expect(show((await turn(a, id, 'q3')) ?? undefined)).toEqual([
      'assistant/complete: answer to q2 edited',
      'user/complete: q2 edited',
      'assistant/complete: answer to q1',
      'user/complete: q1',
    ]);
    // Another replica edits the last question: what it replaces is newer than a's cache, a reads what replaced it.
    await turn(b, id, 'q3 edited', { replaces: await lastQuestionId(id) });
    expect(show((await turn(a, id, 'q4')) ?? undefined)).toEqual([
      'assistant/complete: answer to q3 edited',
      'user/complete: q3 edited',
      'assistant/complete: answer to q2 edited',
      'user/complete: q2 edited',
      'assistant/complete: answer to q1',
      'user/complete: q1',
    ]);
  });

  it('reads everything again when a cached turn was deleted behind its back', async () => {
    const repo = replica();
    const id = await stack.conversation(alice);
    await turn(repo, id, 'keep');
    await turn(repo, id, 'drop');
    await turn(repo, id, 'keep too');
    await stack.rows(alice.tenantId, `DELETE FROM {schema}.messages WHERE content IN ('drop', 'answer to drop')`);
    expect(show((await turn(repo, id, 'next')) ?? undefined)).toEqual([
      'assistant/complete: answer to keep too',
      'user/complete: keep too',
      'assistant/complete: answer to keep',
      'user/complete: keep',
    ]);
  });

  it('a deleted conversation is not found, and its cached history is dropped', async () => {
    const cache = new HistoryCache({ maxEntries: 100, maxBytes: 1 << 20 });
    const repo = new MessagesRepository(cache);
    const id = await stack.conversation(alice);
    await turn(repo, id, 'soon gone');
    expect(cache.get(alice.tenantId, id)).not.toBeNull();
    expect((await stack.call(alice, 'DELETE', `/conversations/${id}`)).status).toBe(204);
    expect(await turn(repo, id, 'anyone there?')).toBeNull();
    expect(cache.get(alice.tenantId, id)).toBeNull();
  });

  it('another owner cannot get a cached history: ownership is checked on every turn', async () => {
    const repo = replica();
    const id = await stack.conversation(alice);
    await turn(repo, id, 'private');
    await turn(repo, id, 'still private');
    await expect(turn(repo, id, 'let me in', { author: { kind: 'user', id: randomUUID() } })).resolves.toBeNull();
  });

  it("another tenant's conversation with the same id is never served this tenant's cached history", async () => {
    const repo = replica();
    const id = await stack.conversation(alice);
    await turn(repo, id, 'tenant a secret');
    await turn(repo, id, 'another tenant a secret');
    const bob = await stack.caller();
    const bobOwner: Owner = { kind: 'user', id: bob.userId ?? '' };
    await stack.rows(
      bob.tenantId,
      `INSERT INTO {schema}.conversations (id, owner_kind, owner_id, title) VALUES ($1, 'user', $2, 'same id')`,
      [id, bobOwner.id],
    );
    expect(await turn(repo, id, 'first in b', { tenantId: bob.tenantId, author: bobOwner })).toEqual([]);
    expect(
      show((await turn(repo, id, 'second in b', { tenantId: bob.tenantId, author: bobOwner })) ?? undefined),
    ).toEqual(['assistant/complete: answer to first in b', 'user/complete: first in b']);
    expect(show((await turn(repo, id, 'back in a')) ?? undefined)).toEqual([
      'assistant/complete: answer to another tenant a secret',
      'user/complete: another tenant a secret',
      'assistant/complete: answer to tenant a secret',
      'user/complete: tenant a secret',
    ]);
  });

  it('at its limits it evicts the least recently used, and an evicted history is read again whole', async () => {
    const cache = new HistoryCache({ maxEntries: 1, maxBytes: 1 << 20 });
    const repo = new MessagesRepository(cache);
    const [a, b] = [await stack.conversation(alice), await stack.conversation(alice)];
    await turn(repo, a, 'a1');
    await turn(repo, b, 'b1');
    expect(cache.get(alice.tenantId, a)).toBeNull();
    expect(cache.size).toBe(1);
    expect(show((await turn(repo, a, 'a2')) ?? undefined)).toEqual([
      'assistant/complete: answer to a1',
      'user/complete: a1',
    ]);
    expect(cache.get(alice.tenantId, b)).toBeNull();
  });
});
