import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@parley/testing';
import { UpstreamClient, UpstreamAbortedError, type UpstreamRequest } from './upstream.client';

const request = (path: string, extra: Partial<UpstreamRequest> = {}): UpstreamRequest => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/json' },
  body: '{"content":"é"}',
  headTimeoutMs: 300,
  bodyIdleTimeoutMs: 300,
  ...extra,
});

describe('UpstreamClient', () => {
  let server: Server;
  let client: UpstreamClient;
  const closedPaths: string[] = [];
  const requestsPerSocket = new Map<Socket, number>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const count = (requestsPerSocket.get(req.socket) ?? 0) + 1;
      requestsPerSocket.set(req.socket, count);
      res.on('close', () => closedPaths.push(req.url ?? ''));
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/hang') return;
        if (req.url === '/stall') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('data: first\n\n');
          return;
        }
        if (req.url === '/reset-reused' && count > 1) {
          req.socket.destroy(); // as a server closing an idle kept-alive connection would
          return;
        }
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new UpstreamClient('chat', `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  });

  afterAll(async () => {
    client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const read = async (path: string) => {
    const res = await client.open(request(path));
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) chunks.push(chunk as Buffer);
    return { status: res.status, text: Buffer.concat(chunks).toString('utf8') };
  };

  it('resolves at the head with the body as a stream', async () => {
    expect(await read('/echo')).toEqual({ status: 201, text: '{"content":"é"}' });
  });

  it('retries once on a fresh connection when a kept-alive one was closed under it', async () => {
    expect(await read('/reset-reused')).toMatchObject({ status: 201 });
    expect(await read('/reset-reused')).toEqual({ status: 201, text: '{"content":"é"}' });
  });

  it('turns a silent upstream into 503 service_unavailable, and a refused connection too', async () => {
    await expect(client.open(request('/hang'))).rejects.toMatchObject({
      code: 'service_unavailable',
      message: 'The chat service did not answer within 300 ms',
    });
    const closed = new UpstreamClient('chat', `http://127.0.0.1:${await freePort()}`);
    await expect(closed.open(request('/x'))).rejects.toMatchObject({
      code: 'service_unavailable',
      message: 'The chat service is unavailable',
    });
    closed.close();
  });

  it('destroys a body that stalls past its idle timeout', async () => {
    const res = await client.open(request('/stall'));
    const chunks: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of res.body) chunks.push(String(chunk));
      })(),
    ).rejects.toThrow();
    expect(chunks.join('')).toBe('data: first\n\n');
  });

  it('destroys the request when the caller aborts before the head, and says so', async () => {
    const controller = new AbortController();
    const pending = client.open(request('/hang', { headTimeoutMs: 10_000, signal: controller.signal }));
    const before = closedPaths.filter((p) => p === '/hang').length;
    await waitFor(() => requestsPerSocket.size > 0, { what: 'a connection' });
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(UpstreamAbortedError);
    await waitFor(() => closedPaths.filter((p) => p === '/hang').length > before, {
      what: 'the server sees the close',
    });
  });
});
