import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EgressPolicy } from '@parley/config';
import { ProviderHttp, type SseCall } from './provider-http';

/** http allowed (as self-hosted), but no loopback or private address: a tenant URL may not reach this server. */
const denyPrivate = new EgressPolicy({ allowHttp: true, allowPrivate: false, allowlist: [] });
const allowPrivate = new EgressPolicy({ allowHttp: true, allowPrivate: true, allowlist: [] });

describe('ProviderHttp and the egress policy at connect time (undici pools)', () => {
  let server: Server;
  let port: number;
  const http = new ProviderHttp();
  let connections = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('event: ping\ndata: {"n":1}\n\n');
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    http.onModuleDestroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const call = (host: string, egress?: EgressPolicy): SseCall => ({
    provider: 'openai',
    url: `http://${host}:${port}/v1/chat/completions`,
    headers: { 'content-type': 'application/json' },
    body: '{}',
    signal: new AbortController().signal,
    egress,
  });

  const events = async (host: string, egress?: EgressPolicy) => {
    const stream = await http.openSse(call(host, egress));
    const seen: string[] = [];
    for await (const event of stream.events()) seen.push(event.data);
    await stream.finish();
    return seen;
  };

  it("reaches an operator's address (no policy) and a tenant address the policy allows", async () => {
    expect(await events('localhost')).toEqual(['{"n":1}']);
    expect(await events('localhost', allowPrivate)).toEqual(['{"n":1}']);
  });

  it('refuses a tenant name that resolves to loopback when connecting, even with a live pooled connection to it', async () => {
    const before = connections;
    await expect(http.openSse(call('localhost', denyPrivate))).rejects.toMatchObject({
      kind: 'bad_request',
      message: expect.stringContaining('egress policy'),
    });
    expect(connections).toBe(before);
  });

  it('refuses a tenant address literal before any connection', async () => {
    const before = connections;
    await expect(http.openSse(call('127.0.0.1', denyPrivate))).rejects.toMatchObject({ kind: 'bad_request' });
    expect(connections).toBe(before);
  });
});
