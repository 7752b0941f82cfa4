import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@parley/testing';
import { HttpForwarder } from './http-forwarder';

describe('HttpForwarder', () => {
  let server: Server;
  let url: string;
  const forwarder = new HttpForwarder('auth', 300);

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/hang') return;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(418, { 'content-type': 'application/json', 'retry-after': '7', server: 'internal/1.0' });
        res.end(JSON.stringify({ method: req.method, body: Buffer.concat(chunks).toString('utf8') }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    forwarder.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('passes any answer back with only the allowed headers', async () => {
    const res = await forwarder.forward({ method: 'PATCH', url: `${url}/x`, headers: {}, body: '{"a":"é"}' });
    expect(res.status).toBe(418);
    expect(res.headers).toEqual({ 'content-type': 'application/json', 'retry-after': '7' });
    expect(JSON.parse(res.body.toString('utf8'))).toEqual({ method: 'PATCH', body: '{"a":"é"}' });
  });

  it('turns a deadline into 503 service_unavailable', async () => {
    const started = performance.now();
    await expect(forwarder.forward({ method: 'GET', url: `${url}/hang`, headers: {} })).rejects.toMatchObject({
      code: 'service_unavailable',
      message: 'The auth service did not answer within 300 ms',
    });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('turns a refused connection into 503 service_unavailable', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/x`;
    await expect(forwarder.forward({ method: 'GET', url: closed, headers: {} })).rejects.toMatchObject({
      code: 'service_unavailable',
      message: 'The auth service is unavailable',
    });
  });
});
