import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { Principal } from '../auth/principal';
import { ChatSocket } from './chat-socket';
import { MAX_BUFFERED_BYTES } from './realtime-messages';

/**
 * A real `ws` server socket on loopback, its TCP socket's writes counted (each `_write`/`_writev`
 * call is one write to the kernel), and a real client that collects the frames.
 */
async function connectedPair() {
  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer();
  let writes = 0;
  const accepted = new Promise<{ ws: WebSocket; transport: Socket }>((resolve) => {
    server.on('upgrade', (req, socket: Socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => {
        const write = socket._write.bind(socket);
        const writev = socket._writev?.bind(socket);
        socket._write = (...args: Parameters<Socket['_write']>) => {
          writes += 1;
          write(...args);
        };
        if (writev) {
          socket._writev = (...args: Parameters<NonNullable<Socket['_writev']>>) => {
            writes += 1;
            writev(...args);
          };
        }
        resolve({ ws, transport: socket });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const received: string[] = [];
  client.on('message', (data: Buffer) => received.push(data.toString('utf8')));
  await new Promise((resolve) => client.once('open', resolve));
  const { ws, transport } = await accepted;
  const close = async () => {
    client.terminate();
    wss.close();
    await new Promise((resolve) => server.close(resolve));
  };
  return { ws, transport, received, writes: () => writes, close };
}

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
};

describe('ChatSocket writes', () => {
  let close: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('sends the frames of one event-loop turn as one write, in order, and a later frame in a write of its own', async () => {
    const pair = await connectedPair();
    close = pair.close;
    const socket = new ChatSocket(pair.ws, {} as Principal, pair.transport);
    const before = pair.writes();
    for (const text of ['a', 'b', 'c', 'd']) expect(socket.send(JSON.stringify({ type: 'token', text }))).toBe(true);
    await until(() => pair.received.length === 4);
    expect(pair.writes() - before).toBe(1);
    expect(pair.received.map((f) => (JSON.parse(f) as { text: string }).text)).toEqual(['a', 'b', 'c', 'd']);

    expect(socket.send(JSON.stringify({ type: 'token', text: 'e' }))).toBe(true);
    await until(() => pair.received.length === 5);
    expect(pair.writes() - before).toBe(2);
  });

  it('without the transport (no corking) the same frames take more than one write', async () => {
    const pair = await connectedPair();
    close = pair.close;
    const socket = new ChatSocket(pair.ws, {} as Principal);
    const before = pair.writes();
    for (const text of ['a', 'b', 'c']) socket.send(JSON.stringify({ type: 'token', text }));
    await until(() => pair.received.length === 3);
    expect(pair.writes() - before).toBeGreaterThan(1);
  });

  it('still closes a socket with 1013 when a turn buffers more than MAX_BUFFERED_BYTES', async () => {
    const pair = await connectedPair();
    close = pair.close;
    const socket = new ChatSocket(pair.ws, {} as Principal, pair.transport);
    const frame = JSON.stringify({ type: 'token', text: 'x'.repeat(64 * 1024) });
    let sent = 0;
    while (socket.send(frame)) {
      sent += 1;
      expect(sent * frame.length).toBeLessThanOrEqual(MAX_BUFFERED_BYTES + frame.length);
    }
    expect(socket.open).toBe(false);
    const code = await new Promise<number>((resolve) => pair.ws.once('close', (c: number) => resolve(c)));
    expect(code).toBe(1013);
  });
});
