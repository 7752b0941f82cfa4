import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthStandIn } from '../../testing/auth-stand-in';
import { startGateway, type RunningGateway } from '../../testing/start-gateway';

describe('forwarding /api/v1/sso/* (public SAML routes) to the auth service', () => {
  let auth: AuthStandIn;
  let gateway: RunningGateway;

  beforeAll(async () => {
    auth = await AuthStandIn.start();
    gateway = await startGateway({ DEPLOYMENT_MODE: 'cloud', AUTH_JWKS_URL: auth.jwksUrl, AUTH_SERVICE_URL: auth.url });
  });

  afterAll(async () => {
    await gateway?.close();
    await auth?.close();
  });

  it('forwards metadata without credentials and passes its content type and file name back', async () => {
    auth.reply = (req) =>
      req.url === '/sso/saml/acme/metadata'
        ? {
            status: 200,
            headers: {
              'content-type': 'application/samlmetadata+xml',
              'content-disposition': 'attachment; filename="sp.xml"',
              server: 'secret-internals',
            },
            body: '<md/>',
          }
        : undefined;
    const res = await fetch(`${gateway.url}/api/v1/sso/saml/acme/metadata`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/samlmetadata+xml');
    // A download keeps its file name; server details stay behind.
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="sp.xml"');
    expect(res.headers.get('server')).toBeNull();
    expect(auth.received.at(-1)).toMatchObject({ method: 'GET', url: '/sso/saml/acme/metadata' });
  });

  it('forwards login with its query and passes the redirect to the IdP back', async () => {
    auth.reply = (req) =>
      req.url.startsWith('/sso/saml/acme/login')
        ? { status: 302, headers: { location: 'https://idp.example/sso?SAMLRequest=abc' } }
        : undefined;
    const res = await fetch(`${gateway.url}/api/v1/sso/saml/acme/login?redirectTo=%2Fchat`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://idp.example/sso?SAMLRequest=abc');
    expect(auth.received.at(-1)?.url).toBe('/sso/saml/acme/login?redirectTo=%2Fchat');
  });

  it('passes the ACS form through raw; a session becomes the refresh cookie and a 303 to the app path', async () => {
    auth.reply = (req) =>
      req.url === '/sso/saml/acme/acs'
        ? {
            status: 200,
            body: {
              redirectTo: '/chat/42',
              accessToken: 'at',
              refreshToken: 'prt_secret',
              tokenType: 'Bearer',
              expiresIn: 900,
            },
          }
        : undefined;
    const form = 'SAMLResponse=PHNhbWxwOlJlc3BvbnNlLz4%3D&RelayState=%2Fchat%2F42';
    const res = await fetch(`${gateway.url}/api/v1/sso/saml/acme/acs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/chat/42');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^parley_refresh=prt_secret; Path=\/api\/v1\/auth; HttpOnly; SameSite=Strict/);
    expect(await res.text()).toBe('');
    const received = auth.received.at(-1);
    expect(received).toMatchObject({ method: 'POST', url: '/sso/saml/acme/acs', body: form });
    expect(received?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('forwards single logout in both bindings: the signed query as sent, the IdP redirect back, a 303 to sign-in', async () => {
    const query =
      'SAMLRequest=fZBBS8NA%2BA%3D%3D&RelayState=s%201&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256&Signature=ab%2Bc%3D';
    auth.reply = (req) =>
      req.url.startsWith('/sso/saml/acme/slo?')
        ? { status: 302, headers: { location: 'https://idp.example/slo?SAMLResponse=xyz' } }
        : undefined;
    let res = await fetch(`${gateway.url}/api/v1/sso/saml/acme/slo?${query}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://idp.example/slo?SAMLResponse=xyz');
    expect(auth.received.at(-1)?.url).toBe(`/sso/saml/acme/slo?${query}`);

    auth.reply = (req) =>
      req.url === '/sso/saml/acme/slo' ? { status: 200, body: { redirectTo: '/sign-in' } } : undefined;
    const form = 'SAMLResponse=PHNhbWxwOkxvZ291dFJlc3BvbnNlLz4%3D';
    res = await fetch(`${gateway.url}/api/v1/sso/saml/acme/slo`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: form,
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sign-in');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(auth.received.at(-1)).toMatchObject({ method: 'POST', url: '/sso/saml/acme/slo', body: form });

    // A refused logout message: a browser lands on sign-in with the reason; a script gets the problem.
    auth.reply = () => ({
      status: 401,
      body: { error: { code: 'sso_logout_rejected', message: 'no', details: { reason: 'signature_invalid' } } },
    });
    res = await fetch(`${gateway.url}/api/v1/sso/saml/acme/slo?${query}`, {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sign-in?sso_error=signature_invalid');
    res = await fetch(`${gateway.url}/api/v1/sso/saml/acme/slo?${query}`, { redirect: 'manual' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('sso_logout_rejected');
  });

  it('never redirects off the app, whatever the upstream says', async () => {
    auth.reply = () => ({ status: 200, body: { redirectTo: '//evil.example/x', refreshToken: 'prt_x' } });
    const res = await fetch(`${gateway.url}/api/v1/sso/saml/acme/acs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'SAMLResponse=x',
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
  });

  it('redirects a test login’s answer (no session) without setting a cookie', async () => {
    auth.reply = () => ({ status: 200, body: { test: true, traceId: 't-1', redirectTo: '/admin/sso?test=t-1' } });
    const res = await fetch(`${gateway.url}/api/v1/sso/saml/acme/acs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'SAMLResponse=x',
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/sso?test=t-1');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('passes a refusal through to a script (no Accept: text/html) as the problem answer it is', async () => {
    auth.reply = () => ({
      status: 401,
      body: { error: { code: 'sso_login_rejected', message: 'no', details: { reason: 'signature_invalid' } } },
    });
    const res = await fetch(`${gateway.url}/api/v1/sso/saml/acme/acs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'SAMLResponse=x',
      redirect: 'manual',
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { details: { reason: string } } }).error.details.reason).toBe(
      'signature_invalid',
    );
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('sends a browser refused at the ACS to the page that says why, never off the app', async () => {
    const post = () =>
      fetch(`${gateway.url}/api/v1/sso/saml/acme/acs`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml' },
        body: 'SAMLResponse=x',
        redirect: 'manual',
      });
    const refusal = (details: Record<string, unknown>) => () => ({
      status: 401,
      body: { error: { code: 'sso_login_rejected', message: 'no', details } },
    });
    auth.reply = refusal({ reason: 'signature_invalid', redirectTo: '/admin/sso?test=t-9' });
    let res = await post();
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/sso?test=t-9');
    expect(res.headers.get('set-cookie')).toBeNull();
    auth.reply = refusal({ reason: 'audience_mismatch', redirectTo: '//evil.example/x' });
    res = await post();
    expect(res.headers.get('location')).toBe('/sign-in?sso_error=audience_mismatch');
    auth.reply = () => ({ status: 403, body: { error: { code: 'member_limit_reached', message: 'full' } } });
    res = await post();
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sign-in?sso_error=member_limit_reached');
    auth.reply = () => ({ status: 502, body: 'not json' });
    res = await post();
    expect(res.headers.get('location')).toBe('/sign-in?sso_error=unavailable');
  });

  it('refuses other paths, other media types and oversized forms before forwarding', async () => {
    auth.reply = undefined;
    const before = auth.received.length;
    for (const path of [
      '/api/v1/sso/saml/acme/other',
      '/api/v1/sso/wsfed/acme/login',
      '/api/v1/sso/saml/acme/metadata/extra',
    ]) {
      expect((await fetch(`${gateway.url}${path}`, { redirect: 'manual' })).status).toBe(404);
    }
    const json = await fetch(`${gateway.url}/api/v1/sso/saml/acme/acs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"SAMLResponse":"x"}',
    });
    expect(json.status).toBe(415);
    const huge = await fetch(`${gateway.url}/api/v1/sso/saml/acme/acs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `SAMLResponse=${'A'.repeat(500_000)}`,
    });
    expect(huge.status).toBe(413);
    expect(auth.received.length).toBe(before);
  });
});
