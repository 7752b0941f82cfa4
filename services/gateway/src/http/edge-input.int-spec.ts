import 'reflect-metadata';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthStandIn } from '../testing/auth-stand-in';
import { json, startGateway, type RunningGateway } from '../testing/start-gateway';

const FAILURE_LIMIT = 5;

/** A raw POST (fetch would refuse or rewrite some of these headers and bodies). */
function rawPost(
  url: string,
  headers: Record<string, string>,
  body: Buffer | string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('input hardening at the edge', () => {
  let auth: AuthStandIn;
  let gateway: RunningGateway;
  const signIn = (headers: Record<string, string>, body: Buffer | string) =>
    rawPost(`${gateway.url}/api/v1/auth/sign-in`, { 'content-type': 'application/json', ...headers }, body);

  beforeAll(async () => {
    auth = await AuthStandIn.start();
    gateway = await startGateway({
      AUTH_JWKS_URL: auth.jwksUrl,
      AUTH_SERVICE_URL: auth.url,
      TRUST_PROXY_HOPS: '1',
      AUTH_FAILURE_LIMIT: String(FAILURE_LIMIT),
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await auth?.close();
  });

  const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

  it.each([
    ['5,000 levels of nesting (30 KB)', {}, deep(5000), 400, 'json_too_deep'],
    ['3,000 levels inside a field', {}, `{"email":"a@b.c","password":${deep(3000)}}`, 400, 'json_too_deep'],
    [
      '20,000 array elements',
      {},
      JSON.stringify({ email: Array.from({ length: 20_000 }, () => 1) }),
      400,
      'json_too_large',
    ],
    ['charset=ebcdic', { 'content-type': 'application/json; charset=ebcdic' }, '{}', 415, 'unsupported_media_type'],
    ['charset=utf-16le', { 'content-type': 'application/json; charset=utf-16le' }, '{}', 415, 'unsupported_media_type'],
    ['content-encoding: x-evil', { 'content-encoding': 'x-evil' }, '{}', 415, 'unsupported_media_type'],
    [
      'content-encoding: gzip over a plain body',
      { 'content-encoding': 'gzip' },
      '{"email":"a@b.c"}',
      400,
      'invalid_encoding',
    ],
    [
      'content-encoding: br over a plain body',
      { 'content-encoding': 'br' },
      '{"email":"a@b.c"}',
      400,
      'invalid_encoding',
    ],
    ['a lone surrogate in the email', {}, '{"email":"\\ud800@x.test","password":"x"}', 400, 'invalid_encoding'],
    [
      'invalid UTF-8 bytes',
      {},
      Buffer.from([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
      400,
      'invalid_encoding',
    ],
  ])('answers %s with a coded 4xx and forwards nothing', async (_, headers, body, status, code) => {
    const before = auth.received.length;
    const res = await signIn(headers, body);
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, requestId: res.headers['x-request-id'] });
    expect(auth.received.length).toBe(before);
  });

  it('still accepts a gzip-compressed UTF-8 body and a surrogate pair', async () => {
    const res = await signIn({ 'content-encoding': 'gzip' }, gzipSync('{"email":"a\\ud83d\\ude00@b.c"}'));
    expect(res.status).toBe(200);
    expect(res.body.echo.body).toEqual({ email: 'a😀@b.c' });
  });

  it('limits refused credentials per address before any lookup: 429 with Retry-After, no more auth calls', async () => {
    const address = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
    const tryKey = () =>
      fetch(`${gateway.url}/api/v1/me`, {
        headers: { 'x-api-key': `pk_${randomBytes(24).toString('base64url')}`, 'x-forwarded-for': address },
      });
    auth.reply = (req) =>
      req.url === '/internal/api-keys/verify'
        ? { status: 401, body: { error: { code: 'invalid_api_key' } } }
        : undefined;
    try {
      for (let i = 0; i < FAILURE_LIMIT; i++) expect((await tryKey()).status).toBe(401);
      const lookups = auth.received.length;
      for (let i = 0; i < 20; i++) {
        const res = await tryKey();
        expect(res.status).toBe(429);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect((await json(res)).error.code).toBe('rate_limited');
      }
      expect(auth.received.length).toBe(lookups);
      // Another address is not affected, and a bad bearer token counts the same way.
      const other = await fetch(`${gateway.url}/api/v1/me`, {
        headers: { authorization: 'Bearer not-a-token', 'x-forwarded-for': `${address}1` },
      });
      expect(other.status).toBe(401);
    } finally {
      auth.reply = undefined;
    }
  });
});
