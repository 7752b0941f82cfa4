import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokedSessionKey } from '@parley/contracts';
import { uniqueSuffix } from '@parley/testing';
import { AuthStack, JOINER_PASSWORD, type Session } from '../../../testing/auth-stack';
import { generateIdpKeys, type TestIdpKeys } from '../../../testing/test-idp-keys';

/**
 * Home-realm discovery (email first) and "SSO required" with break-glass owners, through the auth
 * service: which sign-in a verified domain leads to, password entry points refused for everyone but
 * the break-glass owners, other sessions revoked at once, API keys unaffected.
 */
describe('sign-in discovery and "SSO required"', () => {
  let stack: AuthStack;
  let keys: TestIdpKeys;
  let redis: Redis;
  const PASSWORD = 'correct horse battery staple';

  const sidOf = (token: string) =>
    (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sid: string }).sid;
  const discover = (email: string) => stack.post('/auth/sign-in/discover', { email });
  const putPolicy = (session: Session, body: unknown) =>
    stack.send('PUT', '/auth/sso/policy', { body: JSON.stringify(body), token: session.accessToken });
  const verifyDomain = async (tenantId: string, domain: string) => {
    await stack.pg.query(
      `INSERT INTO auth.tenant_domains (id, tenant_id, domain, challenge, created_by, verified_at, verified_by)
       VALUES ($1, $2, $3, 'c', $1, now(), 'dns')`,
      [randomUUID(), tenantId, domain],
    );
  };
  const connect = async (session: Session, enabled: boolean) => {
    const res = await stack.post(
      '/auth/sso/connections',
      {
        protocol: 'saml',
        name: 'Okta',
        enabled,
        idp: {
          entityId: 'http://idp.example.com/e',
          ssoUrl: 'https://idp.example.com/sso',
          certificates: [keys.certificatePem],
        },
      },
      session.accessToken,
    );
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };

  beforeAll(async () => {
    keys = generateIdpKeys('enforcement-idp');
    stack = await AuthStack.start();
    redis = new Redis(stack.config.redis.url, { lazyConnect: true });
    await redis.connect();
  });

  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
  });

  it('discovers password for an unknown domain, an unverified one, or one without an enabled connection', async () => {
    const owner = await stack.signUp();
    const domain = `plain-${uniqueSuffix()}.test`;
    expect((await discover(`ann@${domain}`)).body).toEqual({ method: 'password' });
    await verifyDomain(owner.tenant.id, domain);
    expect((await discover(`ann@${domain}`)).body).toEqual({ method: 'password' });
    await connect(owner, false);
    expect((await discover(`ann@${domain}`)).body).toEqual({ method: 'password' });
    const bad = await discover('not an email');
    expect(bad.status === 200 ? bad.body : bad.body.error.code).toEqual({ method: 'password' });
  });

  it('sends a verified domain with an enabled SAML connection to that organisation’s IdP', async () => {
    const owner = await stack.signUp();
    const domain = `sso-${uniqueSuffix()}.test`;
    await verifyDomain(owner.tenant.id, domain);
    await connect(owner, true);
    const found = await discover(`Bob@${domain.toUpperCase()}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      method: 'sso',
      protocol: 'saml',
      tenantSlug: owner.tenant.slug,
      tenantName: owner.tenant.name,
      loginUrl: `/api/v1/sso/saml/${owner.tenant.slug}/login`,
      passwordAllowed: true,
    });
  });

  describe('"SSO required"', () => {
    let owner: Session;
    let member: Session;
    let other: Session;

    beforeAll(async () => {
      owner = await stack.signUp({ password: PASSWORD });
      await stack.pg.query(`UPDATE control.tenants SET plan_id = 'pro' WHERE id = $1`, [owner.tenant.id]);
      member = await stack.join(owner, 'member');
      other = await stack.signUp();
    });

    it('needs an enabled connection (404 sso_not_configured) and break-glass accounts that are owners (400)', async () => {
      const none = await putPolicy(owner, { ssoRequired: true, breakGlassUserIds: [owner.user.id] });
      expect({ status: none.status, code: none.body.error.code }).toEqual({ status: 404, code: 'sso_not_configured' });
      await connect(owner, true);
      const notOwner = await putPolicy(owner, { ssoRequired: true, breakGlassUserIds: [member.user.id] });
      expect({ status: notOwner.status, code: notOwner.body.error.code }).toEqual({
        status: 400,
        code: 'validation_failed',
      });
      const stranger = await putPolicy(owner, { ssoRequired: true, breakGlassUserIds: [other.user.id] });
      expect(stranger.status).toBe(400);
    });

    it('a member cannot read or change the policy (403), and another tenant’s admin changes only their own', async () => {
      for (const res of [
        await stack.get('/auth/sso/policy', member.accessToken),
        await putPolicy(member, { ssoRequired: false, breakGlassUserIds: [] }),
      ]) {
        expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 403, code: 'forbidden' });
      }
      const theirs = await putPolicy(other, { ssoRequired: true, breakGlassUserIds: [] });
      expect(theirs.body.error.code).toBe('sso_not_configured'); // their tenant has no connection
      expect((await stack.get('/auth/sso/policy', owner.accessToken)).body.ssoRequired).toBe(false);
    });

    it('turning it on revokes every other session at once; passwords are refused but the break-glass owner’s', async () => {
      const apiKey = await stack.post('/auth/api-keys', { name: 'ci', scopes: ['chat:read'] }, owner.accessToken);
      expect(apiKey.status).toBe(201);
      const memberSid = sidOf(member.accessToken);
      const on = await putPolicy(owner, { ssoRequired: true, breakGlassUserIds: [owner.user.id] });
      expect(on.status).toBe(200);
      expect(on.body).toMatchObject({ ssoRequired: true, breakGlassUserIds: [owner.user.id] });

      // The member's session is gone, at auth and at the edge; the owner's stays.
      expect(await redis.exists(revokedSessionKey(owner.tenant.id, memberSid))).toBe(1);
      expect((await stack.post('/auth/refresh', { refreshToken: member.refreshToken })).status).toBe(401);
      expect((await stack.get('/auth/members', owner.accessToken)).status).toBe(200);

      const refused = await stack.post('/auth/sign-in', { email: member.user.email, password: JOINER_PASSWORD });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({
        code: 'sso_required',
        details: {
          tenantSlug: owner.tenant.slug,
          protocol: 'saml',
          loginUrl: `/api/v1/sso/saml/${owner.tenant.slug}/login`,
        },
      });
      // A wrong password is still just wrong: the policy tells nothing to someone without it.
      const wrong = await stack.post('/auth/sign-in', { email: member.user.email, password: 'not the password' });
      expect(wrong.body.error.code).toBe('invalid_credentials');

      expect((await stack.post('/auth/sign-in', { email: owner.user.email, password: PASSWORD })).status).toBe(200);

      // API keys are unaffected.
      const verified = await stack.post('/internal/api-keys/verify', { key: apiKey.body.key });
      expect(verified.status).toBe(200);
    });

    it('an invite into it is refused by password (the IdP provisions people), and discovery says no password', async () => {
      const invited = await stack.post(
        '/auth/invites',
        { email: `late-${uniqueSuffix()}@example.com`, role: 'member' },
        owner.accessToken,
      );
      expect(invited.status).toBe(201);
      const mail = await stack.mail.waitForMail(invited.body.email);
      const token = /[?&]token=([^\s&]+)/.exec(mail.text)?.[1] ?? '';
      const accepted = await stack.post('/auth/invites/accept', {
        token: decodeURIComponent(token),
        name: 'Late Joiner',
        password: 'a long enough password',
      });
      expect({ status: accepted.status, code: accepted.body.error.code }).toEqual({
        status: 403,
        code: 'sso_required',
      });
      const domain = `req-${uniqueSuffix()}.test`;
      await verifyDomain(owner.tenant.id, domain);
      expect((await discover(`x@${domain}`)).body).toMatchObject({ method: 'sso', passwordAllowed: false });
    });

    it('turning it off lets passwords in again', async () => {
      expect((await putPolicy(owner, { ssoRequired: false, breakGlassUserIds: [] })).status).toBe(200);
      expect((await stack.post('/auth/sign-in', { email: member.user.email, password: JOINER_PASSWORD })).status).toBe(
        200,
      );
    });
  });
});
