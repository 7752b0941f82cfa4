import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { HttpAnswer } from '@parley/observability';
import type { Principal } from '../auth/principal';
import { ChatSocket, type ChatSocketPort } from './chat-socket';
import { ChatStreamRelay } from './chat-stream.relay';
import { MAX_BUFFERED_BYTES } from './realtime-messages';

function port() {
  const sent: string[] = [];
  const ws = {
    readyState: WebSocket.OPEN as ChatSocketPort['readyState'],
    bufferedAmount: 0,
    send: vi.fn((frame: string) => void sent.push(frame)),
    close: vi.fn(),
  };
  return { ws, sent };
}

function upstream() {
  const body = new PassThrough();
  const abort = vi.fn(() => void body.destroy());
  const answer: HttpAnswer = { status: 200, headers: {}, body, abort };
  const event = (type: string, data: object) =>
    body.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  return { answer, abort, body, event };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function relayOn(ws: ChatSocketPort) {
  const socket = new ChatSocket(ws, {} as Principal);
  const relay = new ChatStreamRelay(socket, 'c1', 'r1');
  socket.add(relay);
  const { answer, abort, body, event } = upstream();
  const onEnd = vi.fn();
  relay.relay(answer, onEnd);
  return { socket, relay, abort, body, event, onEnd };
}

describe('ChatStreamRelay', () => {
  it('reads an answer to its end, sent nowhere, when the socket is found closing before its close event', async () => {
    const { ws, sent } = port();
    const { abort, body, event, onEnd } = relayOn(ws);
    event('message.started', { messageId: 'm1' });
    event('token', { text: 'a' });
    await tick();
    expect(sent).toHaveLength(2);
    // The client's close frame came in: the socket is closing, the 'close' event has not run yet.
    ws.readyState = WebSocket.CLOSING;
    event('token', { text: 'b' });
    event('message.completed', { status: 'complete' });
    body.end();
    await tick();
    expect(abort).not.toHaveBeenCalled();
    expect(sent).toHaveLength(2);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('cuts the answer and closes the socket with 1013 when the client reads too slowly', async () => {
    const { ws, sent } = port();
    const { abort, event } = relayOn(ws);
    event('message.started', { messageId: 'm1' });
    await tick();
    ws.bufferedAmount = MAX_BUFFERED_BYTES + 1;
    event('token', { text: 'a' });
    await tick();
    expect(sent).toHaveLength(2);
    expect(ws.close).toHaveBeenCalledWith(1013, 'backpressure');
    expect(abort).toHaveBeenCalled();
  });
});
