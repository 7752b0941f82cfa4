import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LdapServer } from '@parley/testing';
import { AuthStack, type Session } from '../../../testing/auth-stack';

/**
 * LDAP connections end to end in the auth service against a real OpenLDAP (slapd on loopback, TLS
 * with its own CA, memberof): sign-in with JIT provisioning and group roles, and the console's test.
 */
describe('LDAP sign-in per tenant against slapd', () => {
  let stack: AuthStack;
  let ldap: LdapServer;
  let owner: Session;
  let member: Session;
  let other: Session;
  let connectionId: string;

  const settings = (overrides: Record<string, unknown> = {}) => ({
    url: ldap.tlsUrl,
    caCertificate: ldap.caCertificate,
    bindDn: ldap.adminDn,
    bindPassword: ldap.adminPassword,
    userBaseDn: `ou=people,${ldap.baseDn}`,
    ...overrides,
  });
  const signIn = (slug: string, body: unknown) => stack.post(`/sso/ldap/${slug}/sign-in`, body);
  const testOf = (id: string, body: unknown, token: string) =>
    stack.post(`/auth/sso/connections/${id}/test`, body, token);

  beforeAll(async () => {
    [stack, ldap] = await Promise.all([
      // Cloud rules (TLS required, no private addresses) with loopback allowlisted for the test directory.
      AuthStack.start({ EGRESS_ALLOWLIST: '127.0.0.1/32' }),
      LdapServer.start(),
    ]);
    const ann = await ldap.addPerson({
      uid: 'ann',
      mail: 'Ann.Lee@acme.test',
      name: 'Ann Lee',
      password: 'ann-secret-1',
    });
    const bob = await ldap.addPerson({ uid: 'bob', mail: 'bob@acme.test', name: 'Bob Roe', password: 'bob-secret-1' });
    await ldap.setGroup('Parley Admins', [ann]);
    await ldap.setGroup('Sales', [ann, bob]);
    owner = await stack.signUp();
    await stack.pg.query(`UPDATE control.tenants SET plan_id = 'pro' WHERE id = $1`, [owner.tenant.id]);
    member = await stack.join(owner, 'member');
    other = await stack.signUp();
    const created = await stack.post(
      '/auth/sso/connections',
      {
        protocol: 'ldap',
        name: 'Directory',
        enabled: true,
        ldap: settings(),
        groupRoles: [{ group: 'Parley Admins', role: 'admin' }],
      },
      owner.accessToken,
    );
    expect(created.status).toBe(201);
    connectionId = created.body.id as string;
  }, 120_000);

  afterAll(async () => {
    await stack?.pg.query(`DELETE FROM auth.sso_connections WHERE tenant_id = ANY($1)`, [
      [owner?.tenant.id, other?.tenant.id].filter(Boolean),
    ]);
    await stack?.stop();
    await ldap?.stop();
  });

  it('signs a directory person in: JIT member with the role of their group, a session like sign-in', async () => {
    const ann = await signIn(owner.tenant.slug, { login: 'ann.lee@acme.test', password: 'ann-secret-1' });
    expect(ann.status).toBe(200);
    expect(ann.body).toMatchObject({
      user: { email: 'ann.lee@acme.test', name: 'Ann Lee' },
      tenant: { id: owner.tenant.id },
    });
    expect(decodeJwt(ann.body.accessToken as string)).toMatchObject({ role: 'admin' });
    expect(ann.body.refreshToken).toMatch(/^prt_/);
    const bob = await signIn(owner.tenant.slug, { login: 'bob', password: 'bob-secret-1' });
    expect(bob.status).toBe(200);
    expect(decodeJwt(bob.body.accessToken as string)).toMatchObject({ role: 'member' });
    // A returning member keeps their account, and the role of the groups they are still in.
    const again = await signIn(owner.tenant.slug, { login: 'ann', password: 'ann-secret-1' });
    expect(again.body.user.id).toBe(ann.body.user.id);
    expect(decodeJwt(again.body.accessToken as string)).toMatchObject({ role: 'admin' });
    const traces = await stack.get(`/auth/sso/connections/${connectionId}/traces`, owner.accessToken);
    expect(traces.body.traces[0]).toMatchObject({ outcome: 'success', attributes: { email: ['ann.lee@acme.test'] } });
    // Each joined once, recorded for the audit log by themselves, via the directory (not on returning).
    const joined = await stack.pg.query<{ value: { actor: { id: string }; target: { id: string }; details: unknown } }>(
      `SELECT value FROM control.outbox WHERE topic = 'audit.action-recorded.v1' AND value->>'tenantId' = $1
         AND value->>'action' = 'member.added' ORDER BY created_at, id`,
      [owner.tenant.id],
    );
    const people = [ann.body.user.id as string, bob.body.user.id as string];
    const ofThem = joined.rows.map((r) => r.value).filter((v) => people.includes(v.target.id));
    expect(ofThem.map((v) => [v.actor.id, v.target.id, v.details])).toEqual([
      [people[0], people[0], { role: 'admin', via: 'sso:ldap' }],
      [people[1], people[1], { role: 'member', via: 'sso:ldap' }],
    ]);
  });

  it('refuses a wrong password, an unknown login and bad input with a code', async () => {
    const wrong = await signIn(owner.tenant.slug, { login: 'ann', password: 'not-her-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    const unknown = await signIn(owner.tenant.slug, { login: 'nobody', password: 'whatever-1' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('invalid_credentials');
    for (const body of [{ login: 'ann' }, { login: 'ann', password: '' }, { login: 'ann', password: 'x', extra: 1 }]) {
      const res = await signIn(owner.tenant.slug, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('another tenant’s sign-in route does not reach this directory; a disabled connection refuses', async () => {
    const elsewhere = await signIn(other.tenant.slug, { login: 'ann', password: 'ann-secret-1' });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.error.code).toBe('sso_not_configured');
    const { rows } = await stack.pg.query(`SELECT count(*)::int AS n FROM auth.memberships WHERE tenant_id = $1`, [
      other.tenant.id,
    ]);
    expect(rows[0].n).toBe(1);
    await stack.pg.query(`UPDATE auth.sso_connections SET enabled = false WHERE id = $1`, [connectionId]);
    const disabled = await signIn(owner.tenant.slug, { login: 'ann', password: 'ann-secret-1' });
    await stack.pg.query(`UPDATE auth.sso_connections SET enabled = true WHERE id = $1`, [connectionId]);
    expect(disabled.status).toBe(404);
    expect(disabled.body.error.code).toBe('sso_not_configured');
  });

  it('tests the connection step by step, and with a probe login reads the person (provisioning nobody)', async () => {
    const plain = await testOf(connectionId, {}, owner.accessToken);
    expect(plain.status).toBe(200);
    expect(plain.body.ok).toBe(true);
    expect((plain.body.checks as { step: string }[]).map((c) => c.step)).toEqual(
      expect.arrayContaining(['connect', 'tls', 'service-bind', 'search']),
    );
    const probe = await testOf(connectionId, { probe: { login: 'bob', password: 'bob-secret-1' } }, owner.accessToken);
    expect(probe.body).toMatchObject({ ok: true, identity: { email: 'bob@acme.test', groups: ['Sales'] } });
    const badProbe = await testOf(connectionId, { probe: { login: 'bob', password: 'wrong-1' } }, owner.accessToken);
    expect(badProbe.status).toBe(200);
    expect(badProbe.body.ok).toBe(false);
    expect(JSON.stringify(badProbe.body)).not.toContain(ldap.adminPassword);
  });

  it('a member cannot test a connection; another tenant cannot test it; a SAML or OIDC one is not tested here', async () => {
    const byMember = await testOf(connectionId, {}, member.accessToken);
    expect(byMember.status).toBe(403);
    expect(byMember.body.error.code).toBe('forbidden');
    const byOther = await testOf(connectionId, {}, other.accessToken);
    expect(byOther.status).toBe(404);
    expect(byOther.body.error.code).toBe('not_found');
    const oidc = await stack.post(
      '/auth/sso/connections',
      {
        protocol: 'oidc',
        name: 'IdP',
        oidc: { issuer: 'https://idp.example.com', clientId: 'c', clientSecret: 'a-client-secret-of-enough-length' },
      },
      owner.accessToken,
    );
    const notLdap = await testOf(oidc.body.id as string, {}, owner.accessToken);
    expect(notLdap.status).toBe(400);
    expect(notLdap.body.error.code).toBe('validation_failed');
  });
});
