import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatStreamEventSchema, toSseFrame } from '@parley/contracts';
import { verifyInternalPrincipal, waitFor } from '@parley/testing';
import { answerEvents, type SseSink } from '../../testing/chat-stand-in';
import { WsChatStack } from '../../testing/ws-chat-stack';
import { connectChat, terminal } from '../../testing/ws-chat-client';
import { TenantStatusStore } from '../tenant-status/tenant-status.store';

describe('chat over the WebSocket (a chat-orchestrator stand-in behind the gateway)', () => {
  let stack: WsChatStack;

  beforeAll(async () => {
    stack = await WsChatStack.start();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('streams an answer: the SSE request upstream on behalf of the socket, each event one JSON frame, in order', async () => {
    const tenant = randomUUID();
    const user = randomUUID();
    const conversation = randomUUID();
    const events = answerEvents(conversation, ['Bon', 'jour ', 'à ', 'toi 👋'], { requestId: 'ws-req-1' });
    // CRLF line ends, a comment, and chunks split mid-frame and inside a character: parsed, not passed as bytes.
    const wire = `: keep-alive\r\n\r\n${events.map(toSseFrame).join('').replaceAll('\n', '\r\n')}`;
    const bytes = Buffer.from(wire, 'utf8');
    const inEmoji = bytes.indexOf(Buffer.from('👋', 'utf8')) + 2;
    const pieces = [bytes.subarray(0, 50), bytes.subarray(50, inEmoji), bytes.subarray(inEmoji)];
    stack.chat.reply = () => ({
      open: (sink) => {
        for (const piece of pieces) sink.write(piece);
        sink.end();
      },
    });
    try {
      const client = await stack.open({ tid: tenant, sub: user });
      client.send({
        type: 'message.send',
        requestId: 'ws-req-1',
        conversationId: conversation,
        content: 'Salut',
        model: 'm-1',
      });
      const frames = await client.until((f) => f.some(terminal), 'the whole answer');
      expect(frames).toEqual(events);
      for (const frame of frames) expect(chatStreamEventSchema.safeParse(frame).success).toBe(true);
      const upstream = stack.chat.to('POST', `/conversations/${conversation}/messages`)[0];
      expect(JSON.parse(upstream?.body ?? '')).toEqual({ content: 'Salut', model: 'm-1' });
      expect(upstream?.headers).toMatchObject({ accept: 'text/event-stream', 'x-request-id': 'ws-req-1' });
      expect(await verifyInternalPrincipal(upstream?.headers['x-parley-principal'] as string)).toMatchObject({
        tid: tenant,
        uid: user,
        knd: 'user',
        role: 'member',
        plan: 'free',
        rid: 'ws-req-1',
      });
      expect(upstream?.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    } finally {
      stack.chat.reply = undefined;
    }
  });

  it('turns a refusal before the stream into one error frame with the send’s conversation and request id', async () => {
    const conversation = randomUUID();
    stack.chat.reply = () => ({
      status: 409,
      body: { error: { code: 'generation_in_progress', message: 'One answer at a time', requestId: 'x' } },
    });
    try {
      const client = await stack.open();
      client.send({ type: 'message.send', requestId: 'busy-1', conversationId: conversation, content: 'x' });
      const [frame] = await client.until((f) => f.length === 1, 'the refusal');
      expect(frame).toEqual({
        type: 'error',
        conversationId: conversation,
        messageId: null,
        seq: null,
        code: 'generation_in_progress',
        message: 'One answer at a time',
        requestId: 'busy-1',
        partial: false,
      });
    } finally {
      stack.chat.reply = undefined;
    }
  });

  it.each<[string, unknown, string]>([
    ['a send without content', { type: 'message.send', conversationId: randomUUID() }, 'malformed_message'],
    [
      'a send with an empty content',
      { type: 'message.send', conversationId: randomUUID(), content: '' },
      'malformed_message',
    ],
    [
      'a send with an extra field',
      { type: 'message.send', conversationId: randomUUID(), content: 'x', tenantId: randomUUID() },
      'malformed_message',
    ],
    ['a send to a non-UUID', { type: 'message.send', conversationId: '../../x', content: 'x' }, 'malformed_message'],
    [
      'a send with a NUL byte',
      { type: 'message.send', conversationId: randomUUID(), content: 'a\u0000b' },
      'malformed_message',
    ],
    [
      'a send with a bad request id',
      { type: 'message.send', requestId: 'a b', conversationId: randomUUID(), content: 'x' },
      'malformed_message',
    ],
    ['a stop without conversation', { type: 'message.stop' }, 'malformed_message'],
    ['an unknown type', { type: 'message.edit', conversationId: randomUUID() }, 'unknown_message'],
  ])('answers %s with an error frame and forwards nothing', async (_what, frame, code) => {
    const before = stack.chat.received.length;
    const client = await stack.open();
    client.send(frame);
    client.send({ type: 'ping' });
    const frames = await client.until((f) => f.some((x) => x.type === 'pong'), 'the pong after it');
    expect(frames).toEqual([{ type: 'error', code }, { type: 'pong' }]);
    expect(stack.chat.received.length).toBe(before);
  });

  it('keeps the answer going when the socket closes mid-answer: the upstream is read to its end, not aborted', async () => {
    const conversation = randomUUID();
    const [started, token, completed] = answerEvents(conversation, ['still being written']);
    let sink: SseSink | undefined;
    stack.chat.reply = () => ({
      open: (s) => {
        sink = s;
        if (started) s.event(started);
      },
    });
    const openSockets = async () => {
      const text = await (await fetch(`${stack.gateway.url}/metrics`)).text();
      return Number(/^(?:parley_)?ws_connections(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 'NaN');
    };
    try {
      const before = await openSockets();
      const client = await stack.open();
      client.send({ type: 'message.send', conversationId: conversation, content: 'x' });
      await client.until((f) => f.some((x) => x.type === 'message.started'), 'message.started');
      const upstream = stack.chat.to('POST', `/conversations/${conversation}/messages`)[0];
      client.ws.terminate();
      // The gateway has seen the socket go; then the rest of the answer arrives.
      await waitFor(async () => (await openSockets()) <= before, { what: 'the gateway seeing the socket closed' });
      expect(upstream?.aborted).toBe(false);
      if (token) sink?.event(token);
      if (completed) sink?.event(completed);
      sink?.end();
      await waitFor(() => upstream?.ended === true, { what: 'the answer read to its end' });
      expect(upstream?.aborted).toBe(false);
    } finally {
      stack.chat.reply = undefined;
    }
  });

  it("never delivers one socket's events to another: two tenants, the same user id, at once", async () => {
    const sub = randomUUID();
    const [tenantA, tenantB] = [randomUUID(), randomUUID()];
    const [convA, convB] = [randomUUID(), randomUUID()];
    const sinks = new Map<string, SseSink>();
    // The stand-in answers synchronously: it reads the tenant of the principal token unverified here,
    // and the token is verified below.
    const tenantOf = (headers: Record<string, unknown> | undefined) =>
      (
        JSON.parse(
          Buffer.from(String(headers?.['x-parley-principal']).split('.')[1] ?? '', 'base64url').toString(),
        ) as {
          tid: string;
        }
      ).tid;
    stack.chat.reply = (req) => ({ open: (sink) => sinks.set(tenantOf(req.headers), sink) });
    try {
      const a = await stack.open({ tid: tenantA, sub });
      const b = await stack.open({ tid: tenantB, sub });
      const a2 = await stack.open({ tid: tenantA, sub }); // the same principal's other socket
      a.send({ type: 'message.send', conversationId: convA, content: 'from A' });
      b.send({ type: 'message.send', conversationId: convB, content: 'from B' });
      await waitFor(() => sinks.size === 2, { what: 'both streams upstream' });
      const eventsA = answerEvents(convA, ['a1', 'a2', 'a3']);
      const eventsB = answerEvents(convB, ['b1', 'b2', 'b3']);
      for (let i = 0; i < eventsA.length; i += 1) {
        sinks.get(tenantB)?.event(eventsB[i] as (typeof eventsB)[number]);
        sinks.get(tenantA)?.event(eventsA[i] as (typeof eventsA)[number]);
      }
      sinks.get(tenantA)?.end();
      sinks.get(tenantB)?.end();
      expect(await a.until((f) => f.some(terminal), 'A done')).toEqual(eventsA);
      expect(await b.until((f) => f.some(terminal), 'B done')).toEqual(eventsB);
      a2.send({ type: 'ping' });
      expect(await a2.until((f) => f.length > 0, 'pong')).toEqual([{ type: 'pong' }]);
      const principalOf = (conversation: string) =>
        verifyInternalPrincipal(
          stack.chat.to('POST', `/conversations/${conversation}/messages`)[0]?.headers['x-parley-principal'] as string,
        );
      expect((await principalOf(convA)).tid).toBe(tenantA);
      expect((await principalOf(convB)).tid).toBe(tenantB);
    } finally {
      stack.chat.reply = undefined;
    }
  });

  it('ends an answer whose stream breaks off with an error frame', async () => {
    const conversation = randomUUID();
    const events = answerEvents(conversation, ['a', 'b']);
    stack.chat.reply = () => ({ events: events.slice(0, 2).map(toSseFrame) });
    try {
      const client = await stack.open();
      client.send({ type: 'message.send', requestId: 'cut-1', conversationId: conversation, content: 'x' });
      const frames = await client.until((f) => f.some(terminal), 'the end');
      expect(frames.map((f) => f.type)).toEqual(['message.started', 'token', 'error']);
      expect(frames.at(-1)).toMatchObject({
        code: 'service_unavailable',
        conversationId: conversation,
        messageId: events[0]?.messageId,
        requestId: 'cut-1',
        seq: null,
        partial: true,
      });
    } finally {
      stack.chat.reply = undefined;
    }
  });

  it('refuses a send of an API key without chat:write, and one of a tenant suspended since the upgrade', async () => {
    const tenant = randomUUID();
    stack.auth.reply = (req) =>
      req.url === '/internal/api-keys/verify'
        ? {
            status: 200,
            body: { keyId: randomUUID(), tenantId: tenant, scopes: ['chat:read'], plan: 'free', expiresAt: null },
          }
        : undefined;
    const before = stack.chat.received.length;
    try {
      const keyClient = await connectChat(stack.wsUrl, `pk_${randomUUID().slice(0, 8)}_cccccccccccc`);
      stack.clients.push(keyClient);
      keyClient.send({ type: 'message.send', requestId: 'k-1', conversationId: randomUUID(), content: 'x' });
      keyClient.send({ type: 'message.stop', conversationId: randomUUID() });
      const frames = await keyClient.until((f) => f.length === 2, 'two refusals');
      expect(frames.map((f) => f.code)).toEqual(['insufficient_scope', 'insufficient_scope']);
      expect(frames[0]).toMatchObject({ requestId: 'k-1', messageId: null, seq: null, partial: false });

      const user = await stack.open({ tid: tenant });
      await stack.gateway.app.get(TenantStatusStore).set(tenant, 'suspended');
      await waitFor(
        async () => {
          user.send({ type: 'message.send', conversationId: randomUUID(), content: 'x' });
          await new Promise((r) => setTimeout(r, 100));
          return user.frames.some((f) => f.code === 'tenant_suspended');
        },
        { what: 'tenant_suspended', timeoutMs: 10_000 },
      );
      expect(user.frames.slice(1).every((f) => f.code === 'tenant_suspended')).toBe(true);
      expect(stack.chat.received.length).toBe(before);
    } finally {
      stack.auth.reply = undefined;
    }
  });
});
