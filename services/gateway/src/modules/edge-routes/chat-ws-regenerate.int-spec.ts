import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSseFrame } from '@parley/contracts';
import { verifyInternalPrincipal } from '@parley/testing';
import { answerEvents } from '../../testing/chat-stand-in';
import { terminal } from '../../testing/ws-chat-client';
import { WsChatStack } from '../../testing/ws-chat-stack';

/** `message.regenerate` and `message.resend` over /ws: their HTTP routes, on behalf of the socket. */
describe('regenerate and resend over the WebSocket', () => {
  let stack: WsChatStack;

  beforeAll(async () => {
    stack = await WsChatStack.start();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it.each([
    ['message.regenerate', 'regenerate', { model: 'm-2' }, { model: 'm-2' }],
    ['message.resend', 'resend', { content: 'edited' }, { content: 'edited' }],
  ] as const)('%s streams the answer of POST …/%s for the socket principal', async (type, route, fields, body) => {
    const tenant = randomUUID();
    const user = randomUUID();
    const conversation = randomUUID();
    const events = answerEvents(conversation, ['New ', 'answer'], { requestId: `ws-${route}` });
    stack.chat.reply = () => ({
      open: (sink) => {
        for (const event of events) sink.write(Buffer.from(toSseFrame(event)));
        sink.end();
      },
    });
    try {
      const client = await stack.open({ tid: tenant, sub: user });
      client.send({ type, requestId: `ws-${route}`, conversationId: conversation, ...fields });
      expect(await client.until((f) => f.some(terminal), 'the whole answer')).toEqual(events);
      const upstream = stack.chat.to('POST', `/conversations/${conversation}/${route}`)[0];
      expect(JSON.parse(upstream?.body ?? '')).toEqual(body);
      expect(upstream?.headers).toMatchObject({ accept: 'text/event-stream' });
      expect(await verifyInternalPrincipal(upstream?.headers['x-parley-principal'] as string)).toMatchObject({
        tid: tenant,
        uid: user,
      });
    } finally {
      stack.chat.reply = undefined;
    }
  });

  it.each([
    ['a regenerate with content', { type: 'message.regenerate', conversationId: randomUUID(), content: 'x' }],
    ['a resend without content', { type: 'message.resend', conversationId: randomUUID() }],
  ])('refuses %s as malformed_message, sending nothing upstream', async (_what, frame) => {
    const before = stack.chat.received.length;
    const client = await stack.open();
    client.send(frame);
    client.send({ type: 'ping' });
    const frames = await client.until((f) => f.some((x) => x.type === 'pong'), 'the pong after it');
    expect(frames).toEqual([{ type: 'error', code: 'malformed_message' }, { type: 'pong' }]);
    expect(stack.chat.received.length).toBe(before);
  });
});
