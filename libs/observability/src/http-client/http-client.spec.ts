import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallAbortedError, HttpClient, type HttpCall } from './http-client';

const call = (path: string, extra: Partial<HttpCall> = {}): HttpCall => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/json' },
  body: '{"content":"é"}',
  headTimeoutMs: 300,
  bodyIdleTimeoutMs: 300,
  ...extra,
});

/** A port nothing listens on: one that was just free. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('HttpClient (undici)', () => {
  let server: Server;
  let client: HttpClient;
  const closedPaths: string[] = [];
  const requestsPerSocket = new Map<Socket, number>();
  const arrivals: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const count = (requestsPerSocket.get(req.socket) ?? 0) + 1;
      requestsPerSocket.set(req.socket, count);
      arrivals.push(`${req.method} ${req.url}`);
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
        if (req.url?.startsWith('/reset-reused') && count > 1) {
          req.socket.destroy(); // as a server closing an idle kept-alive connection would
          return;
        }
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new HttpClient({
      service: 'chat',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      connections: 1,
    });
  });

  afterAll(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const read = async (request: HttpCall) => {
    const res = await client.open(request);
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) chunks.push(chunk as Buffer);
    return { status: res.status, text: Buffer.concat(chunks).toString('utf8') };
  };

  it('resolves at the head with the body as a stream', async () => {
    expect(await read(call('/echo'))).toEqual({ status: 201, text: '{"content":"é"}' });
  });

  it('retries an idempotent call once on a fresh connection when a kept-alive one was reset under it', async () => {
    const put = (path: string) => call(path, { method: 'PUT' });
    expect(await read(put('/reset-reused-put'))).toMatchObject({ status: 201 });
    expect(await read(put('/reset-reused-put'))).toEqual({ status: 201, text: '{"content":"é"}' });
  });

  it('never retries a POST (it may have been acted on): 503 instead', async () => {
    expect(await read(call('/echo', { method: 'GET', body: undefined }))).toMatchObject({ status: 201 });
    const before = arrivals.filter((a) => a === 'POST /reset-reused-post').length;
    await expect(client.open(call('/reset-reused-post'))).rejects.toMatchObject({
      code: 'service_unavailable',
      message: 'The chat service is unavailable',
    });
    expect(arrivals.filter((a) => a === 'POST /reset-reused-post').length).toBe(before + 1);
  });

  it('turns a silent service into 503 service_unavailable, and a refused connection too', async () => {
    await expect(client.open(call('/hang'))).rejects.toMatchObject({
      code: 'service_unavailable',
      message: 'The chat service did not answer within 300 ms',
      details: { service: 'chat' },
    });
    const closed = new HttpClient({ service: 'auth', baseUrl: `http://127.0.0.1:${await closedPort()}` });
    await expect(closed.open(call('/x'))).rejects.toMatchObject({
      code: 'service_unavailable',
      message: 'The auth service is unavailable',
    });
    await closed.close();
  });

  it('reads a whole answer within a deadline, or says it did not answer within it', async () => {
    const answer = await client.call({ method: 'POST', path: '/echo', headers: {}, body: '{"a":1}' }, 1000);
    expect({ status: answer.status, body: answer.body.toString('utf8') }).toEqual({ status: 201, body: '{"a":1}' });
    await expect(client.call({ method: 'GET', path: '/stall', headers: {} }, 300)).rejects.toMatchObject({
      code: 'service_unavailable',
      message: 'The chat service did not answer within 300 ms',
    });
  });

  it('destroys a body that stalls past its idle timeout', async () => {
    const res = await client.open(call('/stall'));
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
    const before = closedPaths.filter((p) => p === '/hang').length;
    const pending = client.open(call('/hang', { headTimeoutMs: 10_000, signal: controller.signal }));
    await until(() => arrivals.filter((a) => a === 'POST /hang').length > 1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(CallAbortedError);
    await until(() => closedPaths.filter((p) => p === '/hang').length > before);
  });
});
