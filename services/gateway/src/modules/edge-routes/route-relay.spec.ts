import 'reflect-metadata';
import Fastify, { type FastifyInstance } from 'fastify';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '@parley/config';
import type { PublicRoute } from '@parley/contracts';
import { InternalTokens } from '@parley/observability';
import type { MembershipRoles } from '../auth/membership-roles';
import { forwardHttp } from './route-relay';
import { ForwardRouteUseCase } from './usecases/forward-route/forward-route.usecase';

/** A route as the SSO work will add it: a SAML ACS form post, outside /api/v1, forwarded as-is. */
const ACS: PublicRoute = {
  id: 'sso.samlAcs',
  method: 'POST',
  path: '/sso/saml/{connectionId}/acs',
  tag: 'sso',
  summary: 'SAML assertion consumer service',
  access: { kind: 'public' },
  rateLimit: 'client',
  upstream: { service: 'auth', path: '/sso/saml/{connectionId}/acs' },
  request: {
    params: { connectionId: 'The connection' },
    body: {
      encoding: 'raw',
      contentTypes: ['application/x-www-form-urlencoded'],
      description: 'SAMLResponse',
      maxBytes: 400_000,
    },
  },
  responses: [{ status: 302, description: 'To the app' }],
  problems: [400],
};

describe('forwarding a raw (form) body by the route table', () => {
  let upstream: Server;
  let edge: FastifyInstance;
  let forward: ForwardRouteUseCase;
  let edgeUrl: string;
  const seen: { url?: string; type?: string; body: string }[] = [];

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ url: req.url, type: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(302, { location: '/app', 'set-cookie': 'x=y', 'cache-control': 'no-store' });
        res.end();
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const authUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const config = {
      gateway: { serviceUrls: { auth: authUrl, chat: authUrl, billing: authUrl, stt: authUrl, analytics: authUrl } },
    } as unknown as AppConfig;
    forward = new ForwardRouteUseCase(config, new InternalTokens(Buffer.alloc(32, 1), 'gateway'), {
      forget: () => undefined,
    } as unknown as MembershipRoles);
    // As the gateway's HTTP shell: a body no parser claims stays unread for the relay.
    edge = Fastify();
    edge.removeAllContentTypeParsers();
    edge.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    edge.post('/sso/saml/:connectionId/acs', (req, reply) => forwardHttp(forward, ACS, req, reply));
    edgeUrl = await edge.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await forward.onApplicationShutdown();
    upstream.closeAllConnections();
    await edge.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('sends the form body byte for byte with its content type, to the upstream path, and relays the answer', async () => {
    const form = 'SAMLResponse=PHNhbWw%2BeDwvc2FtbD4%3D&RelayState=%2Fchat%3Fa%3D1';
    const res = await fetch(`${edgeUrl}/sso/saml/conn%201/acs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('location')).toBe('/app');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(seen.at(-1)).toEqual({
      url: '/sso/saml/conn%201/acs',
      type: 'application/x-www-form-urlencoded',
      body: form,
    });
  });
});
