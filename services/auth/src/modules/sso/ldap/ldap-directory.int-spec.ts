import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@parley/config';
import { ldapSettingsSchema, type LdapSettings } from '@parley/contracts';
import { ensureInfra, freePort, LdapServer } from '@parley/testing';
import { LdapDirectory } from './ldap-directory';

/** LDAP sign-in against a real OpenLDAP (slapd on loopback, TLS with its own CA, memberof). */
describe('LdapDirectory against slapd', () => {
  let ldap: LdapServer;
  let annDn: string;
  /** Cloud rules (TLS required, no private addresses) with loopback allowlisted for the test directory. */
  let cloud: LdapDirectory;
  let selfHosted: LdapDirectory;

  const configFor = (env: Record<string, string>) => loadConfig('auth', { ...ensureInfra(), NODE_ENV: 'test', ...env });
  const settings = (overrides: Partial<LdapSettings> = {}): LdapSettings =>
    ldapSettingsSchema.parse({
      url: ldap.tlsUrl,
      caCertificate: ldap.caCertificate,
      bindDn: ldap.adminDn,
      bindPassword: ldap.adminPassword,
      userBaseDn: `ou=people,${ldap.baseDn}`,
      ...overrides,
    });
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'signed in',
      (error: { code?: string }) => error.code,
    );

  beforeAll(async () => {
    ldap = await LdapServer.start();
    annDn = await ldap.addPerson({ uid: 'ann', mail: 'Ann.Lee@acme.test', name: 'Ann Lee', password: 'ann-secret-1' });
    const bob = await ldap.addPerson({ uid: 'bob', mail: 'bob@acme.test', name: 'Bob Roe', password: 'bob-secret-1' });
    await ldap.addPerson({ uid: 'twin1', mail: 'twin@acme.test', name: 'Twin One', password: 'twin-secret' });
    await ldap.addPerson({ uid: 'twin2', mail: 'twin@acme.test', name: 'Twin Two', password: 'twin-secret' });
    await ldap.setGroup('Parley Admins', [annDn]);
    await ldap.setGroup('Sales', [annDn, bob]);
    cloud = new LdapDirectory(configFor({ DEPLOYMENT_MODE: 'cloud', EGRESS_ALLOWLIST: '127.0.0.1' }));
    selfHosted = new LdapDirectory(configFor({ DEPLOYMENT_MODE: 'self-hosted' }));
  });

  afterAll(async () => {
    await ldap?.stop();
  });

  it('signs a person in over ldaps by email or uid, with their groups', async () => {
    const byMail = await cloud.authenticate(settings(), 'ann.lee@acme.test', 'ann-secret-1');
    expect(byMail).toEqual({
      dn: annDn,
      email: 'ann.lee@acme.test',
      name: 'Ann Lee',
      groups: expect.arrayContaining(['Parley Admins', 'Sales']),
    });
    expect((await cloud.authenticate(settings(), 'ann', 'ann-secret-1')).dn).toBe(annDn);
  });

  it('signs in over StartTLS', async () => {
    const identity = await cloud.authenticate(settings({ url: ldap.url, startTls: true }), 'bob', 'bob-secret-1');
    expect(identity.groups).toEqual(['Sales']);
  });

  it('refuses a wrong password, an unknown person and an empty password (no anonymous bind)', async () => {
    expect(await code(cloud.authenticate(settings(), 'ann', 'wrong'))).toBe('invalid_credentials');
    expect(await code(cloud.authenticate(settings(), 'nobody', 'ann-secret-1'))).toBe('invalid_credentials');
    expect(await code(cloud.authenticate(settings(), 'ann', ''))).toBe('invalid_credentials');
  });

  it('cannot be widened by filter injection, and an ambiguous login is refused', async () => {
    for (const login of ['*', 'a*', 'ann)(uid=*', '*)(|(uid=*', 'ann\\']) {
      expect({ login, outcome: await code(cloud.authenticate(settings(), login, 'ann-secret-1')) }).toEqual({
        login,
        outcome: 'invalid_credentials',
      });
    }
    expect(await code(cloud.authenticate(settings(), 'twin@acme.test', 'twin-secret'))).toBe('invalid_credentials');
  });

  it('in cloud mode refuses plain ldap:// without StartTLS and unlisted private addresses', async () => {
    expect(await code(cloud.authenticate(settings({ url: ldap.url }), 'ann', 'ann-secret-1'))).toBe('egress_denied');
    const strict = new LdapDirectory(configFor({ DEPLOYMENT_MODE: 'cloud' }));
    expect(await code(strict.authenticate(settings(), 'ann', 'ann-secret-1'))).toBe('egress_denied');
    expect(await code(selfHosted.authenticate(settings({ url: ldap.url }), 'ann', 'ann-secret-1'))).toBe('signed in');
  });

  it('refuses a directory whose certificate is not trusted', async () => {
    const untrusted = settings({ caCertificate: undefined });
    expect(await code(cloud.authenticate(untrusted, 'ann', 'ann-secret-1'))).toBe('service_unavailable');
  });

  it('a wrong service password or a directory that is down is 503, never a sign-in', async () => {
    expect(await code(cloud.authenticate(settings({ bindPassword: 'nope' }), 'ann', 'ann-secret-1'))).toBe(
      'service_unavailable',
    );
    const closed = `ldaps://127.0.0.1:${await freePort()}`;
    expect(await code(cloud.authenticate(settings({ url: closed, timeoutMs: 1000 }), 'ann', 'ann-secret-1'))).toBe(
      'service_unavailable',
    );
  });

  it('tests a connection step by step, with a real sign-in when given one', async () => {
    const plain = await cloud.test(settings());
    expect(plain.ok).toBe(true);
    expect(plain.checks.map((c) => c.step)).toEqual(['policy', 'connect', 'tls', 'service-bind', 'search']);
    const withLogin = await cloud.test(settings(), { login: 'ann', password: 'ann-secret-1' });
    expect(withLogin.ok).toBe(true);
    expect(withLogin.identity?.groups).toContain('Parley Admins');
    const badService = await cloud.test(settings({ bindPassword: 'nope' }));
    expect(badService.ok).toBe(false);
    expect(badService.checks.at(-1)).toMatchObject({ step: 'connect', ok: false });
  });
});
