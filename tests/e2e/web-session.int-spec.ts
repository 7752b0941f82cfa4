import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformProcesses } from '@parley/testing';
import { json } from './support/stack';

/**
 * The browser session through the real gateway, auth and tenant services: with
 * `x-parley-session: cookie` the refresh token lives in an httpOnly, SameSite=Strict cookie limited
 * to /api/v1/auth (Secure over https), never in a body; a cookie refresh without that header is a
 * cross-site request and is refused; sign-out ends the cookie's session; API clients keep the JSON flow.
 */
describe('the cookie session of the web app', () => {
  let platform: PlatformProcesses;
  let api: string;
  const browser = { 'content-type': 'application/json', 'x-parley-session': 'cookie' };

  const post = (path: string, body: unknown, headers: Record<string, string> = browser) =>
    fetch(`${api}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

  /** The `parley_refresh` Set-Cookie of an answer, split into its value and attributes. */
  const refreshCookie = (res: Response) => {
    const line = res.headers.getSetCookie().find((c) => c.startsWith('parley_refresh='));
    if (!line) throw new Error('no parley_refresh cookie was set');
    const [pair = '', ...attributes] = line.split(';').map((p) => p.trim());
    return { value: pair.slice('parley_refresh='.length), attributes };
  };

  const signUp = async () => {
    const slug = `web-${randomUUID().slice(0, 8)}`;
    return post('/api/v1/auth/sign-up', {
      organizationName: `Org ${slug}`,
      organizationSlug: slug,
      email: `owner@${slug}.test`,
      password: 'correct horse battery',
      name: slug,
    });
  };

  beforeAll(async () => {
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'gateway'],
      env: { DEPLOYMENT_MODE: 'cloud' },
      serviceEnv: {
        auth: { TRUST_PROXY_HOPS: '1' },
        gateway: {
          // One proxy in front: X-Forwarded-Proto tells the gateway the browser spoke https.
          TRUST_PROXY_HOPS: '1',
          CORS_ORIGINS: 'https://app.example.com',
        },
      },
    });
    api = platform.url('gateway');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('keeps the refresh token out of the body, in an httpOnly SameSite=Strict cookie on the auth path', async () => {
    const up = await signUp();
    expect(up.status).toBe(201);
    const body = await json(up);
    expect(body.accessToken).toEqual(expect.any(String));
    expect(body).not.toHaveProperty('refreshToken');
    expect(up.headers.get('cache-control')).toBe('no-store');
    const cookie = refreshCookie(up);
    expect(cookie.value.length).toBeGreaterThan(20);
    expect(cookie.attributes).toEqual(expect.arrayContaining(['Path=/api/v1/auth', 'HttpOnly', 'SameSite=Strict']));
    expect(cookie.attributes).not.toContain('Secure'); // plain http here
  });

  it('marks the cookie Secure when the browser spoke https', async () => {
    const slug = `web-${randomUUID().slice(0, 8)}`;
    const res = await post(
      '/api/v1/auth/sign-up',
      {
        organizationName: slug,
        organizationSlug: slug,
        email: `o@${slug}.test`,
        password: 'correct horse battery',
        name: slug,
      },
      { ...browser, 'x-forwarded-proto': 'https' },
    );
    expect(res.status).toBe(201);
    expect(refreshCookie(res).attributes).toContain('Secure');
  });

  it('refreshes from the cookie with the header, rotating it; the spent cookie is then refused and cleared', async () => {
    const first = refreshCookie(await signUp()).value;
    const refreshed = await post('/api/v1/auth/refresh', {}, { ...browser, cookie: `parley_refresh=${first}` });
    expect(refreshed.status).toBe(200);
    const body = await json(refreshed);
    expect(body.accessToken).toEqual(expect.any(String));
    expect(body).not.toHaveProperty('refreshToken');
    const second = refreshCookie(refreshed).value;
    expect(second).not.toBe(first);

    const me = await fetch(`${api}/api/v1/me`, { headers: { authorization: `Bearer ${body.accessToken}` } });
    expect(me.status).toBe(200);

    const reused = await post('/api/v1/auth/refresh', {}, { ...browser, cookie: `parley_refresh=${first}` });
    expect(reused.status).toBe(401);
    expect((await json(reused)).error.code).toBe('refresh_token_reused');
    expect(refreshCookie(reused).attributes).toContain('Max-Age=0');
  });

  it('refuses a cookie refresh without the header as cross-site (403 csrf_rejected), leaving the cookie unspent', async () => {
    const cookie = refreshCookie(await signUp()).value;
    for (const headers of <Record<string, string>[]>[
      { 'content-type': 'application/json', cookie: `parley_refresh=${cookie}` },
      { 'content-type': 'application/json', cookie: `parley_refresh=${cookie}`, 'x-parley-session': 'yes' },
      { 'content-type': 'text/plain', cookie: `parley_refresh=${cookie}` },
    ]) {
      const res = await fetch(`${api}/api/v1/auth/refresh`, { method: 'POST', headers, body: '{}' });
      expect([403, 415]).toContain(res.status);
      const code = (await json(res)).error.code;
      expect(['csrf_rejected', 'unsupported_media_type']).toContain(code);
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    const forged = await fetch(`${api}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `parley_refresh=${cookie}` },
      body: '{}',
    });
    expect(forged.status).toBe(403);
    expect((await json(forged)).error.code).toBe('csrf_rejected');
    // The refused attempts did not spend it: the real page still can.
    const ok = await post('/api/v1/auth/refresh', {}, { ...browser, cookie: `parley_refresh=${cookie}` });
    expect(ok.status).toBe(200);
  });

  it('never lets another site send the header: the CORS preflight does not allow it', async () => {
    const preflight = await fetch(`${api}/api/v1/auth/refresh`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-parley-session',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const allowedOrigin = await fetch(`${api}/api/v1/auth/refresh`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-parley-session',
      },
    });
    expect(allowedOrigin.headers.get('access-control-allow-headers') ?? '').not.toContain('x-parley-session');
  });

  it('answers a cookie-mode refresh without a cookie with 401 invalid_refresh_token', async () => {
    const res = await post('/api/v1/auth/refresh', {});
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe('invalid_refresh_token');
  });

  it('signs out: the cookie is cleared and the session it held no longer refreshes', async () => {
    const up = await signUp();
    const { accessToken } = await json(up);
    const cookie = refreshCookie(up).value;
    const out = await fetch(`${api}/api/v1/auth/sign-out`, {
      method: 'POST',
      headers: { ...browser, authorization: `Bearer ${accessToken}` },
    });
    expect(out.status).toBe(204);
    expect(refreshCookie(out).attributes).toContain('Max-Age=0');
    const after = await post('/api/v1/auth/refresh', {}, { ...browser, cookie: `parley_refresh=${cookie}` });
    expect(after.status).toBe(401);
  });

  it('keeps the JSON-body flow for API clients: refresh token in the body, no cookie', async () => {
    const slug = `api-${randomUUID().slice(0, 8)}`;
    const plain = { 'content-type': 'application/json' };
    const up = await post(
      '/api/v1/auth/sign-up',
      {
        organizationName: slug,
        organizationSlug: slug,
        email: `o@${slug}.test`,
        password: 'correct horse battery',
        name: slug,
      },
      plain,
    );
    expect(up.status).toBe(201);
    expect(up.headers.getSetCookie()).toEqual([]);
    const { refreshToken } = await json(up);
    expect(refreshToken).toEqual(expect.any(String));
    const refreshed = await post('/api/v1/auth/refresh', { refreshToken }, plain);
    expect(refreshed.status).toBe(200);
    expect((await json(refreshed)).refreshToken).toEqual(expect.any(String));
    expect(refreshed.headers.getSetCookie()).toEqual([]);
  });
});
