import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyEncryption } from '@parley/config';
import { AuthStack, type Session } from '../../../testing/auth-stack';
import { SsoSecrets } from './sso-secrets';

const CLIENT_SECRET = 'oidc-client-secret-0123456789-wxyz';
const BIND_PASSWORD = 'ldap-bind-password-98765-abcd';
/** The key this stack seals with (AUTH_KEY_ENCRYPTION_KEY below). */
const KEK = Buffer.alloc(32, 7);

describe('SSO connections of every protocol: SAML, OIDC and LDAP, secrets sealed and never shown', () => {
  let stack: AuthStack;
  let owner: Session;
  let member: Session;
  let other: Session;

  const oidc = (overrides: Record<string, unknown> = {}) => ({
    protocol: 'oidc',
    name: 'Keycloak',
    oidc: {
      preset: 'keycloak',
      issuer: 'https://sso.example.com/realms/acme',
      clientId: 'parley',
      clientSecret: CLIENT_SECRET,
      allowedAlgorithms: ['RS256', 'ES256'],
      ...overrides,
    },
    groupRoles: [{ group: 'admins', role: 'admin' }],
  });
  const ldap = (overrides: Record<string, unknown> = {}) => ({
    protocol: 'ldap',
    name: 'Directory',
    ldap: {
      url: 'ldaps://ldap.example.com:636',
      bindDn: 'cn=parley,dc=example,dc=com',
      bindPassword: BIND_PASSWORD,
      userBaseDn: 'ou=people,dc=example,dc=com',
      ...overrides,
    },
  });
  const sealedOf = async (id: string): Promise<Buffer | null> =>
    ((await stack.pg.query(`SELECT sealed_secret FROM auth.sso_connections WHERE id = $1`, [id])).rows[0]
      ?.sealed_secret as Buffer | null) ?? null;
  const put = (id: string, body: unknown, token: string) =>
    stack.request('PUT', `/auth/sso/connections/${id}`, JSON.stringify(body), token);

  beforeAll(async () => {
    stack = await AuthStack.start({ AUTH_KEY_ENCRYPTION_KEY: KEK.toString('base64') });
    owner = await stack.signUp();
    member = await stack.join(owner, 'member');
    other = await stack.signUp();
  });

  afterAll(async () => {
    await stack?.pg.query(`DELETE FROM auth.sso_connections WHERE tenant_id = ANY($1)`, [
      [owner?.tenant.id, other?.tenant.id].filter(Boolean),
    ]);
    await stack?.stop();
  });

  it('creates an OIDC connection: preset groups claim, exact redirect URI, the secret sealed and only hinted', async () => {
    const created = await stack.post('/auth/sso/connections', oidc(), owner.accessToken);
    expect(created.status).toBe(201);
    const slug = owner.tenant.slug;
    expect(created.body).toMatchObject({
      protocol: 'oidc',
      enabled: false,
      defaultRole: 'member',
      oidc: {
        preset: 'keycloak',
        issuer: 'https://sso.example.com/realms/acme',
        clientId: 'parley',
        groupsClaim: 'groups',
        scopes: ['openid', 'email', 'profile'],
        allowedAlgorithms: ['RS256', 'ES256'],
        clientSecretHint: '…wxyz',
      },
      relyingParty: {
        redirectUri: `http://app.test/api/v1/sso/oidc/${slug}/callback`,
        loginUrl: `http://app.test/api/v1/sso/oidc/${slug}/login`,
      },
    });
    const id = created.body.id as string;
    expect(JSON.stringify(created.body)).not.toContain(CLIENT_SECRET);
    expect(JSON.stringify((await stack.get(`/auth/sso/connections/${id}`, owner.accessToken)).body)).not.toContain(
      CLIENT_SECRET,
    );
    expect(JSON.stringify((await stack.get('/auth/sso/connections', owner.accessToken)).body)).not.toContain(
      CLIENT_SECRET,
    );

    // At rest: sealed under AUTH_KEY_ENCRYPTION_KEY, bound to this connection's id.
    const sealed = await sealedOf(id);
    expect(sealed?.toString('latin1')).not.toContain(CLIENT_SECRET);
    const secrets = new SsoSecrets(new KeyEncryption(KEK));
    expect(secrets.open({ id, sealedSecret: sealed })).toBe(CLIENT_SECRET);
    expect(() => secrets.open({ id: '00000000-0000-4000-8000-000000000000', sealedSecret: sealed })).toThrow();

    // A replacement without the secret keeps it; with a new one, seals the new one.
    const { clientSecret: _dropped, ...withoutSecret } = oidc().oidc;
    const kept = await put(id, { ...oidc(), oidc: { ...withoutSecret, clientId: 'parley-2' } }, owner.accessToken);
    expect(kept.status).toBe(200);
    expect(kept.body.oidc).toMatchObject({ clientId: 'parley-2', clientSecretHint: '…wxyz' });
    expect(secrets.open({ id, sealedSecret: await sealedOf(id) })).toBe(CLIENT_SECRET);
    const rotated = await put(id, oidc({ clientSecret: 'a-brand-new-client-secret-9876' }), owner.accessToken);
    expect(rotated.body.oidc.clientSecretHint).toBe('…9876');
    expect(secrets.open({ id, sealedSecret: await sealedOf(id) })).toBe('a-brand-new-client-secret-9876');
    expect((await stack.delete(`/auth/sso/connections/${id}`, owner.accessToken)).status).toBe(204);
  });

  it('creates an LDAP connection beside a SAML one: defaults filled, bind password sealed and hinted', async () => {
    const created = await stack.post('/auth/sso/connections', ldap(), owner.accessToken);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      protocol: 'ldap',
      ldap: {
        url: 'ldaps://ldap.example.com:636',
        startTls: false,
        userFilter: '(|(mail={login})(uid={login})(sAMAccountName={login}))',
        emailAttribute: 'mail',
        groupsAttribute: 'memberOf',
        timeoutMs: 5000,
        bindPasswordHint: '…abcd',
      },
      signInUrl: `http://app.test/api/v1/sso/ldap/${owner.tenant.slug}/sign-in`,
    });
    expect(created.body.ldap).not.toHaveProperty('bindPassword');
    const id = created.body.id as string;
    expect(new SsoSecrets(new KeyEncryption(KEK)).open({ id, sealedSecret: await sealedOf(id) })).toBe(BIND_PASSWORD);
    // One connection per protocol.
    const twice = await stack.post('/auth/sso/connections', ldap(), owner.accessToken);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('sso_connection_exists');
    expect((await stack.delete(`/auth/sso/connections/${id}`, owner.accessToken)).status).toBe(204);
  });

  it('refuses with a code: no secret on creation, an HS or none algorithm, a placeholder issuer, a protocol change', async () => {
    const { clientSecret: _dropped, ...withoutSecret } = oidc().oidc;
    const refusals = [
      await stack.post('/auth/sso/connections', { ...oidc(), oidc: withoutSecret }, owner.accessToken),
      await stack.post('/auth/sso/connections', oidc({ allowedAlgorithms: ['HS256'] }), owner.accessToken),
      await stack.post('/auth/sso/connections', oidc({ allowedAlgorithms: ['none'] }), owner.accessToken),
      await stack.post(
        '/auth/sso/connections',
        oidc({ issuer: 'https://login.microsoftonline.com/{tenantId}/v2.0' }),
        owner.accessToken,
      ),
      await stack.post('/auth/sso/connections', ldap({ url: 'http://ldap.example.com' }), owner.accessToken),
      await stack.post('/auth/sso/connections', { ...oidc(), protocol: 'kerberos' }, owner.accessToken),
    ];
    for (const res of refusals) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect(refusals[0]?.body.error.details.issues).toEqual([
      'oidc.clientSecret: required when the connection is created',
    ]);
    expect((await stack.get('/auth/sso/connections', owner.accessToken)).body.connections).toEqual([]);

    const created = await stack.post('/auth/sso/connections', oidc(), owner.accessToken);
    const changed = await put(created.body.id as string, ldap(), owner.accessToken);
    expect(changed.status).toBe(404);
    expect((await stack.delete(`/auth/sso/connections/${created.body.id as string}`, owner.accessToken)).status).toBe(
      204,
    );
  });

  it('a member cannot create or replace an OIDC or LDAP connection', async () => {
    const created = await stack.post('/auth/sso/connections', oidc(), owner.accessToken);
    const id = created.body.id as string;
    const attempts = [
      await stack.post('/auth/sso/connections', ldap(), member.accessToken),
      await put(id, oidc({ clientSecret: 'member-chosen-secret-000000' }), member.accessToken),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect(new SsoSecrets(new KeyEncryption(KEK)).open({ id, sealedSecret: await sealedOf(id) })).toBe(CLIENT_SECRET);
    expect((await stack.delete(`/auth/sso/connections/${id}`, owner.accessToken)).status).toBe(204);
  });

  it('another tenant cannot read or replace an OIDC connection, nor keep its secret by replacing it', async () => {
    const created = await stack.post('/auth/sso/connections', oidc(), owner.accessToken);
    const id = created.body.id as string;
    const { clientSecret: _dropped, ...withoutSecret } = oidc().oidc;
    const attempts = [
      await stack.get(`/auth/sso/connections/${id}`, other.accessToken),
      await put(id, { ...oidc(), oidc: withoutSecret }, other.accessToken),
      await stack.delete(`/auth/sso/connections/${id}`, other.accessToken),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await stack.get(`/auth/sso/connections/${id}`, owner.accessToken)).body.oidc.clientId).toBe('parley');
    expect((await stack.delete(`/auth/sso/connections/${id}`, owner.accessToken)).status).toBe(204);
  });
});
