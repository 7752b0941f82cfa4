import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LdapServer } from '@parley/testing';
import { startIdentityStack, type IdentityStack } from './support/stack';

/**
 * LDAP sign-in through the gateway, as the web app calls it: the tenant's admin connects the
 * directory (slapd on loopback over ldaps, allowed by this operator's egress allowlist), a person
 * signs in with their directory login; the gateway issues the session as for sign-in (body, or the
 * refresh cookie in cookie mode).
 */
describe('LDAP sign-in end to end through the gateway', () => {
  let stack: IdentityStack;
  let ldap: LdapServer;
  let api: string;
  let slug: string;

  const signIn = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api}/api/v1/sso/ldap/${slug}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    [stack, ldap] = await Promise.all([
      startIdentityStack({ mode: 'cloud', authEnv: { EGRESS_ALLOWLIST: '127.0.0.1/32' } }),
      LdapServer.start(),
    ]);
    api = stack.api;
    const ann = await ldap.addPerson({ uid: 'ann', mail: 'ann@acme.test', name: 'Ann Lee', password: 'ann-secret-1' });
    await ldap.setGroup('Parley Admins', [ann]);
    slug = `ld-${Date.now().toString(36)}`;
    const signUp = await fetch(`${api}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationName: 'Acme',
        organizationSlug: slug,
        email: `owner@${slug}.example`,
        password: 'correct horse battery',
        name: 'Owner',
      }),
    });
    expect(signUp.status).toBe(201);
    const { accessToken } = (await signUp.json()) as { accessToken: string };
    const created = await fetch(`${api}/api/v1/auth/sso/connections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        protocol: 'ldap',
        name: 'Directory',
        enabled: true,
        ldap: {
          url: ldap.tlsUrl,
          caCertificate: ldap.caCertificate,
          bindDn: ldap.adminDn,
          bindPassword: ldap.adminPassword,
          userBaseDn: `ou=people,${ldap.baseDn}`,
        },
        groupRoles: [{ group: 'Parley Admins', role: 'admin' }],
      }),
    });
    expect(created.status).toBe(201);
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    await ldap?.stop();
  });

  it('signs a directory person in with the mapped role; in cookie mode the refresh token is only in the cookie', async () => {
    const res = await signIn({ login: 'ann', password: 'ann-secret-1' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accessToken: string; refreshToken?: string };
    expect(decodeJwt(body.accessToken)).toMatchObject({ role: 'admin' });
    expect(body.refreshToken).toMatch(/^prt_/);

    const cookieMode = await signIn({ login: 'ann', password: 'ann-secret-1' }, { 'x-parley-session': 'cookie' });
    expect(cookieMode.status).toBe(200);
    expect(((await cookieMode.json()) as { refreshToken?: string }).refreshToken).toBeUndefined();
    expect(cookieMode.headers.getSetCookie().join(';')).toMatch(/parley_refresh=prt_/);
  });

  it('refuses a wrong password (401) and a body the route table does not accept (400)', async () => {
    const wrong = await signIn({ login: 'ann', password: 'wrong-password' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('invalid_credentials');
    const bad = await signIn({ login: 'ann' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
  });
});
