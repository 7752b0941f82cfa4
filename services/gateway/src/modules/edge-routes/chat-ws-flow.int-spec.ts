import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyInternalPrincipal, waitFor } from '@parley/testing';
import { answerEvents, type SseSink } from '../../testing/chat-stand-in';
import { WsChatStack } from '../../testing/ws-chat-stack';
import { connectChat, terminal } from '../../testing/ws-chat-client';
import { MAX_STREAMS_PER_SOCKET } from '../realtime/realtime-messages';

describe('chat over the WebSocket: stream cap, stop and back-pressure', () => {
  let stack: WsChatStack;

  beforeAll(async () => {
    stack = await WsChatStack.start();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it(`refuses a send beyond ${MAX_STREAMS_PER_SOCKET} streaming answers on one socket with too_many_streams`, async () => {
    const sinks = new Map<string, SseSink>();
    stack.chat.reply = (req) => ({ open: (sink) => sinks.set(req.url, sink) });
    try {
      const client = await stack.open();
      const conversations = Array.from({ length: MAX_STREAMS_PER_SOCKET + 1 }, () => randomUUID());
      for (const [i, id] of conversations.entries()) {
        client.send({ type: 'message.send', requestId: `cap-${i}`, conversationId: id, content: 'x' });
      }
      const [refusal] = await client.until((f) => f.length === 1, 'the refusal');
      expect(refusal).toMatchObject({
        type: 'error',
        code: 'too_many_streams',
        requestId: `cap-${MAX_STREAMS_PER_SOCKET}`,
      });
      await waitFor(() => sinks.size === MAX_STREAMS_PER_SOCKET, { what: 'the admitted streams upstream' });
      // One answer ends: a slot frees.
      const first = conversations[0] as string;
      for (const event of answerEvents(first, ['ok'])) sinks.get(`/conversations/${first}/messages`)?.event(event);
      sinks.get(`/conversations/${first}/messages`)?.end();
      await client.until((f) => f.some((x) => x.type === 'message.completed'), 'the first answer');
      const again = randomUUID();
      await waitFor(
        async () => {
          client.send({ type: 'message.send', requestId: 'cap-again', conversationId: again, content: 'x' });
          await new Promise((r) => setTimeout(r, 50));
          return sinks.has(`/conversations/${again}/messages`);
        },
        { what: 'a send admitted again' },
      );
    } finally {
      for (const sink of sinks.values()) sink.end();
      stack.chat.reply = undefined;
    }
  });

  it('message.stop asks the orchestrator to stop; the stream then ends with its own message.completed', async () => {
    const conversation = randomUUID();
    const events = answerEvents(conversation, ['partial']);
    let sink: SseSink | undefined;
    stack.chat.reply = (req) => {
      if (req.url.endsWith('/stop')) {
        const completed = events.at(-1);
        if (completed?.type === 'message.completed')
          sink?.event({ ...completed, status: 'stopped', finishReason: null });
        sink?.end();
        return { status: 202, body: { stopped: true } };
      }
      return { open: (s) => ((sink = s), events.slice(0, 2).forEach((e) => s.event(e))) };
    };
    try {
      const client = await stack.open();
      client.send({ type: 'message.send', conversationId: conversation, content: 'x' });
      await client.until((f) => f.some((x) => x.type === 'token'), 'a token');
      client.send({ type: 'message.stop', conversationId: conversation });
      const frames = await client.until((f) => f.some(terminal), 'the end');
      expect(frames.map((f) => f.type)).toEqual(['message.started', 'token', 'message.completed']);
      expect(frames.at(-1)).toMatchObject({ status: 'stopped' });
      const stop = stack.chat.to('POST', `/conversations/${conversation}/stop`)[0];
      const sent = stack.chat.to('POST', `/conversations/${conversation}/messages`)[0];
      const principalOf = async (headers: Record<string, unknown> | undefined) =>
        (await verifyInternalPrincipal(headers?.['x-parley-principal'] as string)).tid;
      expect(await principalOf(stop?.headers)).toBe(await principalOf(sent?.headers));
      expect(JSON.parse(stop?.body ?? '')).toEqual({});
    } finally {
      stack.chat.reply = undefined;
    }
  });

  it('message.stop before the answer started ends it here at once (upstream aborted) with an error frame', async () => {
    const conversation = randomUUID();
    stack.chat.reply = (req) =>
      req.url.endsWith('/stop') ? { status: 202, body: { stopped: false } } : { hang: true };
    try {
      const client = await stack.open();
      client.send({ type: 'message.send', requestId: 'early', conversationId: conversation, content: 'x' });
      await waitFor(() => stack.chat.to('POST', `/conversations/${conversation}/messages`).length === 1, {
        what: 'the send upstream',
      });
      client.send({ type: 'message.stop', conversationId: conversation });
      const [frame] = await client.until((f) => f.length === 1, 'the end');
      expect(frame).toMatchObject({
        type: 'error',
        code: 'stopped',
        conversationId: conversation,
        requestId: 'early',
        partial: false,
      });
      const upstream = stack.chat.to('POST', `/conversations/${conversation}/messages`)[0];
      await waitFor(() => upstream?.aborted === true, { what: 'the upstream request aborted' });
      await waitFor(() => stack.chat.to('POST', `/conversations/${conversation}/stop`).length === 1, {
        what: 'the stop upstream',
      });
    } finally {
      stack.chat.reply = undefined;
    }
  });

  it('closes a socket that reads too slowly (1013) and aborts its answer instead of buffering without bound', async () => {
    const conversation = randomUUID();
    const [started] = answerEvents(conversation, []);
    const messageId = started?.messageId ?? randomUUID();
    const chunk = 'x'.repeat(60_000);
    let pumping = true;
    stack.chat.reply = () => ({
      open: (sink) => {
        if (started) sink.event(started);
        let seq = 1;
        const pump = () => {
          for (let i = 0; i < 20 && pumping && !sink.request.aborted; i += 1, seq += 1) {
            sink.event({ type: 'token', conversationId: conversation, messageId, seq, index: seq - 1, text: chunk });
          }
          if (pumping && !sink.request.aborted && seq < 4000) setTimeout(pump, 1);
        };
        pump();
      },
    });
    try {
      const client = await stack.open();
      client.send({ type: 'message.send', conversationId: conversation, content: 'x' });
      await client.until((f) => f.some((x) => x.type === 'message.started'), 'message.started');
      client.ws.pause(); // stop reading: the gateway's queue for this socket grows
      const upstream = stack.chat.to('POST', `/conversations/${conversation}/messages`)[0];
      await waitFor(() => upstream?.aborted === true, { what: 'the upstream request aborted', timeoutMs: 30_000 });
      client.ws.resume();
      expect((await client.closed).code).toBe(1013);
    } finally {
      pumping = false;
      stack.chat.reply = undefined;
    }
  });
});

describe('WebSocket sends count against the HTTP rate limits', () => {
  let stack: WsChatStack;

  beforeAll(async () => {
    stack = await WsChatStack.start({ RATE_LIMIT_PRINCIPAL_FREE: '3' });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('refuses a send past the limit with rate_limited, the HTTP requests and the sends sharing one bucket', async () => {
    const token = await stack.auth.mint({ tid: randomUUID(), sub: randomUUID() });
    const conversation = randomUUID();
    stack.chat.reply = () => ({ events: answerEvents(conversation, ['ok']) });
    const client = await connectChat(stack.gateway.url.replace(/^http/, 'ws'), token);
    try {
      const http = await fetch(`${stack.gateway.url}/api/v1/conversations`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(http.status).toBe(200);
      for (const requestId of ['r-1', 'r-2', 'r-3']) {
        client.send({ type: 'message.send', requestId, conversationId: conversation, content: 'x' });
      }
      const frames = await client.until((f) => f.filter(terminal).length === 3, 'three ends');
      const ends = frames.filter(terminal);
      expect(ends.filter((f) => f.type === 'message.completed')).toHaveLength(2);
      const refused = ends.filter((f) => f.type === 'error');
      expect(refused).toEqual([
        expect.objectContaining({ code: 'rate_limited', conversationId: conversation, partial: false }),
      ]);
      expect(['r-1', 'r-2', 'r-3']).toContain(refused[0]?.requestId);
      expect(stack.chat.to('POST', `/conversations/${conversation}/messages`)).toHaveLength(2);
      const again = await fetch(`${stack.gateway.url}/api/v1/conversations`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(again.status).toBe(429);
    } finally {
      client.ws.terminate();
      stack.chat.reply = undefined;
    }
  });
});
