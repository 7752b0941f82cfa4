import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusHeader, ChatMessageCompletedV1, UsageRecordedV1 } from '@parley/contracts';
import { waitFor, type TopicReader } from '@parley/testing';
import { ChatStack, messageIdOf, type Caller } from '../../testing/chat-stack';

interface Completion {
  messageId: string;
  status: string;
}

/** `chat.message-completed.v1` and `usage.recorded.v1`: one of each per answer, through the outbox. */
describe('usage events', () => {
  let stack: ChatStack;
  let caller: Caller;
  let completed: TopicReader;
  let usage: TopicReader;

  const values = (reader: TopicReader) =>
    reader.messages.map((m) => JSON.parse(m.value ?? '{}') as Record<string, unknown>);

  beforeAll(async () => {
    stack = await ChatStack.start();
    caller = await stack.caller();
    completed = await stack.readTopic(ChatMessageCompletedV1);
    usage = await stack.readTopic(UsageRecordedV1);
  });

  afterAll(async () => {
    await completed?.stop();
    await usage?.stop();
    await stack?.stop();
  });

  it('publishes each exactly once per answer, whatever its end, matching the stored message', async () => {
    const id = await stack.conversation(caller);
    const runs: Completion[] = [];
    // complete
    runs.push({
      messageId: messageIdOf((await stack.stream(caller, id, { content: 'one' })).events),
      status: 'complete',
    });
    // failed mid-stream, no usage reported (estimated)
    stack.sim.when(
      { promptIncludes: 'two' },
      { chunks: ['a', ' b', ' c'], errorAfterChunks: 2, omitUsage: true, times: 1 },
    );
    runs.push({
      messageId: messageIdOf((await stack.stream(caller, id, { content: 'two' })).events),
      status: 'failed',
    });
    // stopped by the client going away
    stack.sim.when({ promptIncludes: 'three' }, { chunks: ['x', ' y', ' z', ' w'], tokenDelayMs: 200, times: 1 });
    const client = new AbortController();
    const third = await stack.stream(
      caller,
      id,
      { content: 'three' },
      { signal: client.signal, onEvent: (e) => (e.type === 'token' ? client.abort() : undefined) },
    );
    runs.push({ messageId: messageIdOf(third.events), status: 'stopped' });
    // The client left: the answer is stored (and the conversation released) a moment later.
    await waitFor(async () => {
      const [row] = await stack.rows(caller.tenantId, 'SELECT status FROM {schema}.messages WHERE id = $1', [
        messageIdOf(third.events),
      ]);
      return (
        row?.status === 'stopped' &&
        (await stack.call(caller, 'POST', `/conversations/${id}/stop`)).body.stopped === false
      );
    });
    // failed before any token: nothing used
    stack.sim.when({ promptIncludes: 'four' }, { status: 400, times: 2 });
    runs.push({
      messageId: messageIdOf((await stack.stream(caller, id, { content: 'four' })).events),
      status: 'failed',
    });

    const ids = runs.map((r) => r.messageId);
    await waitFor(
      () =>
        ids.every((m) => values(completed).some((v) => v.messageId === m)) &&
        ids.every((m) => values(usage).some((v) => v.sourceId === m)),
      { what: 'an event of each topic for every answer' },
    );
    // Every row of the outbox is published: nothing more will come.
    await waitFor(
      async () =>
        (
          await stack.pg.query<{ n: string }[]>(
            `SELECT count(*)::text AS n FROM control.outbox WHERE producer = 'chat-orchestrator' AND published_at IS NULL`,
          )
        )[0]?.n === '0',
      { what: 'outbox drained' },
    );
    expect(values(completed).map((v) => v.messageId)).toEqual(ids);
    expect(values(usage).map((v) => v.sourceId)).toEqual(ids);

    for (const [i, run] of runs.entries()) {
      const [row] = await stack.rows<Record<string, unknown>>(
        caller.tenantId,
        'SELECT * FROM {schema}.messages WHERE id = $1',
        [run.messageId],
      );
      const event = values(completed)[i];
      expect(event).toEqual({
        tenantId: caller.tenantId,
        conversationId: id,
        messageId: run.messageId,
        userId: caller.userId,
        apiKeyId: null,
        status: run.status,
        provider: row?.provider,
        model: row?.model,
        skill: null,
        promptTokens: row?.prompt_tokens,
        completionTokens: row?.completion_tokens,
        usageEstimated: row?.usage_estimated,
        costMicros: Number(row?.cost_micros),
        priceTableVersion: row?.price_table_version,
        firstTokenMs: row?.first_token_ms,
        durationMs: row?.duration_ms,
        completedAt: expect.any(String),
      });
      expect(row?.status).toBe(run.status);
      expect(values(usage)[i]).toEqual({
        usageId: expect.any(String),
        tenantId: caller.tenantId,
        userId: caller.userId,
        apiKeyId: null,
        kind: 'chat_tokens',
        sourceId: run.messageId,
        provider: row?.provider,
        model: row?.model,
        promptTokens: row?.prompt_tokens,
        completionTokens: row?.completion_tokens,
        quantity: 0,
        estimated: row?.usage_estimated,
        costMicros: Number(row?.cost_micros),
        priceTableVersion: row?.price_table_version,
        recordedAt: expect.any(String),
      });
    }
    expect(values(completed)[1]).toMatchObject({ usageEstimated: true, completionTokens: expect.any(Number) });
    expect(values(completed)[3]).toMatchObject({ promptTokens: 0, completionTokens: 0, usageEstimated: false });
    const [first] = completed.messages;
    expect(first?.key).toBe(`${caller.tenantId}:${id}`);
    expect(first?.headers[BusHeader.TenantId]).toBe(caller.tenantId);
    expect(usage.messages[0]?.key).toBe(caller.tenantId);
  });

  it('writes the events in the transaction that stores the answer (the outbox), never for a refused request', async () => {
    const id = await stack.conversation(caller);
    const answer = await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'outbox please' });
    const messageId = answer.body.assistantMessage.id as string;
    const rows = await stack.pg.query<{ topic: string }[]>(
      `SELECT topic FROM control.outbox WHERE producer = 'chat-orchestrator' AND (value->>'messageId' = $1 OR value->>'sourceId' = $1)
       ORDER BY topic`,
      [messageId],
    );
    expect(rows.map((r) => r.topic)).toEqual([ChatMessageCompletedV1.name, UsageRecordedV1.name]);
    const before = await stack.pg.query<{ n: string }[]>(`SELECT count(*)::text AS n FROM control.outbox`);
    expect((await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: '/nope x' })).status).toBe(
      400,
    );
    expect(await stack.pg.query(`SELECT count(*)::text AS n FROM control.outbox`)).toEqual(before);
  });
});
