import { Redis } from 'ioredis';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infra } from '@parley/testing';
import { AuthStack } from '../../../testing/auth-stack';
import { SamlTenant } from '../../../testing/saml-harness';
import { TestIdp } from '../../../testing/test-idp';
import { generateIdpKeys } from '../../../testing/test-idp-keys';

describe('SAML per tenant: metadata, SP-initiated login, ACS with JIT provisioning and a session', () => {
  let stack: AuthStack;
  let idp: TestIdp;
  let tenant: SamlTenant;

  beforeAll(async () => {
    stack = await AuthStack.start({ HTTP_BODY_LIMIT_BYTES: '1048576' });
    idp = new TestIdp(generateIdpKeys('saml-flow-idp'));
    tenant = await SamlTenant.create(stack, idp);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('publishes SP metadata naming our entity id and this tenant’s ACS (HTTP-POST)', async () => {
    const res = await fetch(`${stack.base}/sso/saml/${tenant.slug}/metadata`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/samlmetadata+xml');
    const xml = await res.text();
    expect(xml).toContain(`entityID="${tenant.sp.entityId}"`);
    expect(xml).toContain(`Location="${tenant.sp.acsUrl}"`);
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    expect(xml).toContain('WantAssertionsSigned="true"');
    const unknown = await fetch(`${stack.base}/sso/saml/no-such-tenant-x/metadata`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('sso_not_configured');
  });

  it('redirects to the IdP with a deflated AuthnRequest for our ACS, RelayState limited to our paths', async () => {
    const login = await tenant.login('/chat/abc?x=1');
    const url = new URL(login.location);
    expect(`${url.origin}${url.pathname}`).toBe('https://idp.test/sso');
    expect(login.relayState).toBe('/chat/abc?x=1');
    const redis = new Redis(infra().REDIS_URL);
    try {
      expect(await redis.exists(`${tenant.owner.tenant.id}:sso:saml:request:${login.requestId}`)).toBe(1);
    } finally {
      redis.disconnect();
    }
    for (const bad of [
      'https://evil.example/x',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
      '/api/v1/auth/me',
    ]) {
      const res = await fetch(`${stack.base}/sso/saml/${tenant.slug}/login?redirectTo=${encodeURIComponent(bad)}`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
  });

  it('signs in a new person: JIT member with the role of their group, a session that refreshes, a trace', async () => {
    const email = 'Grace.Hopper@Example.com';
    const res = await tenant.signIn(
      { nameId: 'ghopper', attributes: { email: [email], groups: ['staff', 'parley-admins'], displayName: ['Grace'] } },
      '/settings',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      redirectTo: '/settings',
      user: { email: 'grace.hopper@example.com', name: 'Grace' },
      tenant: { id: tenant.owner.tenant.id, slug: tenant.slug },
      tokenType: 'Bearer',
    });
    const claims = decodeJwt(res.body.accessToken as string);
    expect(claims).toMatchObject({ tid: tenant.owner.tenant.id, role: 'admin', sub: res.body.user.id });
    const refreshed = await stack.post('/auth/refresh', { refreshToken: res.body.refreshToken });
    expect(refreshed.status).toBe(200);
    const row = await stack.pg.query(`SELECT role FROM auth.memberships WHERE user_id = $1 AND tenant_id = $2`, [
      res.body.user.id,
      tenant.owner.tenant.id,
    ]);
    expect(row.rows).toEqual([{ role: 'admin' }]);
    // A password never works for an SSO-provisioned account.
    const password = await stack.post('/auth/sign-in', { email, password: '!sso-only' });
    expect(password.status).toBe(401);

    const traces = (await tenant.traces()).body.traces;
    expect(traces[0]).toMatchObject({
      outcome: 'success',
      reason: null,
      nameId: 'ghopper',
      userId: res.body.user.id,
      attributes: { email: [email], groups: ['staff', 'parley-admins'] },
    });
    expect(traces[0].steps.every((s: { ok: boolean }) => s.ok)).toBe(true);
    expect(JSON.stringify(traces)).not.toMatch(/SignatureValue|accessToken|refreshToken|prt_/);
  });

  it('gives the default role without a mapped group; a returning member’s role follows their groups', async () => {
    const first = await tenant.signIn({ attributes: { email: ['ada@example.com'], groups: ['finance'] } });
    expect(first.status).toBe(200);
    expect(decodeJwt(first.body.accessToken as string).role).toBe('billing');
    const plain = await tenant.signIn({ attributes: { email: ['linus@example.com'] } });
    expect(decodeJwt(plain.body.accessToken as string).role).toBe('member');
    const again = await tenant.signIn({ attributes: { email: ['ada@example.com'], groups: ['parley-admins'] } });
    expect(again.status).toBe(200);
    expect(again.body.user.id).toBe(first.body.user.id);
    expect(decodeJwt(again.body.accessToken as string).role).toBe('admin');
  });

  it('uses the NameID as the email when no email attribute is sent; refuses when neither is an email', async () => {
    const byNameId = await tenant.signIn({ nameId: 'nameid.only@example.com' });
    expect(byNameId.status).toBe(200);
    expect(byNameId.body.user.email).toBe('nameid.only@example.com');
    const none = await tenant.signIn({ nameId: 'not-an-email' });
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ code: 'sso_login_rejected', details: { reason: 'email_missing' } });
  });

  it('accepts an assertion signed with the next certificate during a rollover (both configured)', async () => {
    const next = new TestIdp(generateIdpKeys('saml-flow-next'), idp.entityId);
    const both = await SamlTenant.create(stack, next, {}, [idp.keys.certificatePem, next.keys.certificatePem]);
    const withNew = await both.signIn({ attributes: { email: ['rolled@example.com'] } });
    expect(withNew.status).toBe(200);
    const { requestId } = await both.login();
    const withOld = await both.post(idp.response(both.spec(requestId, { attributes: { email: ['old@example.com'] } })));
    expect(withOld.status).toBe(200);
  });

  it('keeps the newest 20 traces per connection, none older than 7 days', async () => {
    const kept = await SamlTenant.create(stack, idp);
    await stack.pg.query(
      `INSERT INTO auth.sso_login_traces (id, tenant_id, connection_id, outcome, steps, created_at)
       VALUES (gen_random_uuid(), $1, $2, 'success', '[]', now() - interval '8 days')`,
      [kept.owner.tenant.id, kept.connectionId],
    );
    await kept.post('');
    expect((await kept.traces()).body.traces).toEqual([expect.objectContaining({ reason: 'response_missing' })]);
    for (let i = 0; i < 21; i++) await kept.post('');
    const traces = (await kept.traces()).body.traces as { reason: string }[];
    expect(traces).toHaveLength(20);
    expect(traces.every((t) => t.reason === 'response_missing')).toBe(true);
  });

  it('respects the plan’s seats (409 seat_limit_reached), traced', async () => {
    const small = await SamlTenant.create(stack, idp);
    await stack.pg.query(`UPDATE control.tenants SET plan_id = 'free' WHERE id = $1`, [small.owner.tenant.id]);
    const limit = (
      await stack.pg.query(`SELECT (p.limits->>'members')::int AS n FROM control.plans p WHERE p.id = 'free'`)
    ).rows[0].n as number;
    for (let i = 1; i < limit; i++) {
      expect((await small.signIn({ attributes: { email: [`seat${i}@example.com`] } })).status).toBe(200);
    }
    const over = await small.signIn({ attributes: { email: ['one-too-many@example.com'] } });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'seat_limit_reached', details: { limit: expect.any(Number) } });
    expect((await small.traces()).body.traces[0]).toMatchObject({ outcome: 'rejected' });
  });

  it('refuses login and ACS while the connection is disabled (a request started before is refused too)', async () => {
    const off = await SamlTenant.create(stack, idp);
    const { requestId } = await off.login();
    await stack.pg.query(`UPDATE auth.sso_connections SET enabled = false WHERE id = $1`, [off.connectionId]);
    const res = await fetch(`${stack.base}/sso/saml/${off.slug}/login`, { redirect: 'manual' });
    expect(res.status).toBe(404);
    const acs = await off.post(idp.response(off.spec(requestId, { attributes: { email: ['late@example.com'] } })));
    expect(acs.status).toBe(401);
    expect(acs.body.error.details).toMatchObject({
      reason: 'connection_disabled',
      redirectTo: '/sign-in?sso_error=connection_disabled',
    });
  });

  it('runs a test login (Test connection) on a disabled connection: every check, a trace, no member, no session', async () => {
    const off = await SamlTenant.create(stack, idp, { enabled: false });
    const { requestId } = await off.login('/chat', { test: true });
    const ok = await off.post(idp.response(off.spec(requestId, { attributes: { email: ['tester@example.com'] } })));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      test: true,
      traceId: expect.any(String),
      redirectTo: `/admin/sso?test=${ok.body.traceId}`,
    });
    expect((await stack.pg.query(`SELECT 1 FROM auth.users WHERE email = 'tester@example.com'`)).rowCount).toBe(0);
    const [trace] = (await off.traces()).body.traces;
    expect(trace).toMatchObject({ id: ok.body.traceId, outcome: 'success', userId: null });
    expect(trace.steps.at(-1)).toMatchObject({ check: 'test login', ok: true });

    const { requestId: second } = await off.login(undefined, { test: true });
    const bad = await off.post(idp.response(off.spec(second, { audience: 'https://wrong.example/sp' })));
    expect(bad.status).toBe(401);
    expect(bad.body.error.details).toMatchObject({
      reason: 'audience_mismatch',
      redirectTo: `/admin/sso?test=${bad.body.error.details.traceId}`,
    });
  });

  it('refuses a non-form ACS body (415) and an oversized one (413)', async () => {
    const json = await fetch(`${stack.base}/sso/saml/${tenant.slug}/acs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ SAMLResponse: 'x' }),
    });
    expect(json.status).toBe(415);
    const huge = await fetch(`${stack.base}/sso/saml/${tenant.slug}/acs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `SAMLResponse=${'A'.repeat(500_000)}`,
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });
});
