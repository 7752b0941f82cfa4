import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatStreamEvent } from '@parley/contracts';
import { waitFor } from '@parley/testing';
import { ChatStack, messageIdOf, type Caller } from '../../testing/chat-stack';

/** Once: a later message repeats the prompt as history and must get the quick default answer. */
const SLOW = { chunks: Array.from({ length: 50 }, (_, i) => ` t${i}`), tokenDelayMs: 100, times: 1 };

/** Cancellation: the client going away, stop requests on any replica, one answer at a time. */
describe('stopping an answer', () => {
  let stack: ChatStack;
  let replica: string;
  let caller: Caller;

  const row = async (messageId: string) =>
    (
      await stack.rows(caller.tenantId, 'SELECT content, status, error_code FROM {schema}.messages WHERE id = $1', [
        messageId,
      ])
    )[0];
  const firstToken = (events: ChatStreamEvent[]) => waitFor(() => events.some((e) => e.type === 'token'));

  beforeAll(async () => {
    stack = await ChatStack.start();
    replica = await stack.replica();
    caller = await stack.caller();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('aborts the provider request at once when the client goes away, and stores the partial answer as stopped', async () => {
    stack.sim.when({ promptIncludes: 'leave-early' }, SLOW);
    const id = await stack.conversation(caller);
    const client = new AbortController();
    const received: string[] = [];
    const res = await stack.stream(
      caller,
      id,
      { content: 'leave-early' },
      {
        signal: client.signal,
        onEvent: (event) => {
          if (event.type === 'token') received.push(event.text);
          if (received.length === 2) client.abort();
        },
      },
    );
    const upstream = await stack.sim.waitFor((r) => r.prompt.includes('leave-early') && r.aborted);
    expect(upstream.completed).toBe(false);
    const messageId = messageIdOf(res.events);
    const stored = await waitFor(async () => {
      const current = await row(messageId);
      return current?.status === 'stopped' ? current : undefined;
    });
    expect(stored.error_code).toBeNull();
    expect(String(stored.content).startsWith(received.join(''))).toBe(true);
    expect(String(stored.content).length).toBeLessThan(SLOW.chunks.join('').length);
    // The conversation is free again.
    const next = await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'still there?' });
    expect(next.status).toBe(201);
  });

  it('stores the text of an answer while it streams, so a client that lost the stream sees it grow', async () => {
    stack.sim.when({ promptIncludes: 'watch-it-grow' }, SLOW);
    const id = await stack.conversation(caller);
    const events: ChatStreamEvent[] = [];
    const streaming = stack.stream(caller, id, { content: 'watch-it-grow' }, { onEvent: (e) => void events.push(e) });
    await firstToken(events);
    const messageId = messageIdOf(events);
    // Read back as another tab would: still streaming, with some of the text already stored.
    const partial = await waitFor(async () => {
      const current = await row(messageId);
      return current?.status === 'streaming' && String(current.content).length > 0 ? current : undefined;
    });
    expect(SLOW.chunks.join('').startsWith(String(partial.content))).toBe(true);
    await streaming;
    const done = await row(messageId);
    expect(done).toMatchObject({ status: 'complete', content: SLOW.chunks.join('') });
  });

  it('a stop sent to another replica stops the answer where it runs', async () => {
    stack.sim.when({ promptIncludes: 'stop-me-elsewhere' }, SLOW);
    const id = await stack.conversation(caller);
    const events: ChatStreamEvent[] = [];
    const streaming = stack.stream(
      caller,
      id,
      { content: 'stop-me-elsewhere' },
      { onEvent: (e) => void events.push(e) },
    );
    await firstToken(events);
    const stop = await stack.call(caller, 'POST', `/conversations/${id}/stop`, {}, { base: replica });
    expect(stop.status).toBe(202);
    expect(stop.body).toEqual({ stopped: true });
    const { events: all } = await streaming;
    expect(all.at(-1)).toMatchObject({ type: 'message.completed', status: 'stopped', finishReason: null });
    const tokens = all.filter((e) => e.type === 'token').length;
    expect(tokens).toBeGreaterThan(0);
    expect(tokens).toBeLessThan(SLOW.chunks.length);
    expect((await row(messageIdOf(all)))?.status).toBe('stopped'); // stored before the stop answered
    await stack.sim.waitFor((r) => r.prompt.includes('stop-me-elsewhere') && r.aborted);
  });

  it('a stop on the replica running a JSON-mode answer returns that answer, stopped', async () => {
    stack.sim.when({ promptIncludes: 'stop-json' }, SLOW);
    const id = await stack.conversation(caller);
    const answer = stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'stop-json' });
    await stack.sim.waitFor((r) => r.prompt.includes('stop-json'));
    await waitFor(async () => (await stack.call(caller, 'POST', `/conversations/${id}/stop`)).body.stopped === true);
    const res = await answer;
    expect(res.status).toBe(201);
    expect(res.body.assistantMessage).toMatchObject({ status: 'stopped', error: null });
  });

  it('says stopped: false when nothing is running', async () => {
    const id = await stack.conversation(caller);
    for (const base of [stack.base, replica]) {
      const stop = await stack.call(caller, 'POST', `/conversations/${id}/stop`, undefined, { base });
      expect({ status: stop.status, body: stop.body }).toEqual({ status: 202, body: { stopped: false } });
    }
    const junk = await stack.call(caller, 'POST', `/conversations/${id}/stop`, { force: true });
    expect({ status: junk.status, code: junk.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
  });

  it('answers one message at a time per conversation, across replicas (409 generation_in_progress)', async () => {
    stack.sim.when({ promptIncludes: 'first-in-line' }, SLOW);
    const id = await stack.conversation(caller);
    const events: ChatStreamEvent[] = [];
    const streaming = stack.stream(caller, id, { content: 'first-in-line' }, { onEvent: (e) => void events.push(e) });
    await firstToken(events);
    for (const base of [stack.base, replica]) {
      const second = await stack.call(caller, 'POST', `/conversations/${id}/messages`, { content: 'me too' }, { base });
      expect({ status: second.status, code: second.body.error.code }).toEqual({
        status: 409,
        code: 'generation_in_progress',
      });
    }
    expect(stack.sim.requests.some((r) => r.prompt.includes('me too'))).toBe(false);
    // Another conversation of the same user is not blocked.
    const other = await stack.conversation(caller);
    expect((await stack.call(caller, 'POST', `/conversations/${other}/messages`, { content: 'parallel' })).status).toBe(
      201,
    );
    await stack.call(caller, 'POST', `/conversations/${id}/stop`);
    await streaming;
  });

  it('another tenant cannot stop an answer (404), and the answer goes on', async () => {
    stack.sim.when({ promptIncludes: 'not-yours-to-stop' }, { ...SLOW, chunks: SLOW.chunks.slice(0, 8) });
    const id = await stack.conversation(caller);
    const events: ChatStreamEvent[] = [];
    const streaming = stack.stream(
      caller,
      id,
      { content: 'not-yours-to-stop' },
      { onEvent: (e) => void events.push(e) },
    );
    await firstToken(events);
    const intruder = await stack.caller();
    const stop = await stack.call(intruder, 'POST', `/conversations/${id}/stop`, {}, { base: replica });
    expect({ status: stop.status, code: stop.body.error.code }).toEqual({ status: 404, code: 'not_found' });
    const { events: all } = await streaming;
    expect(all.at(-1)).toMatchObject({ type: 'message.completed', status: 'complete' });
  });
});
