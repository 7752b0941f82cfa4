import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueSuffix } from '@parley/testing';
import { AuthStack, type Session } from '../../testing/auth-stack';
import { tokenFromMail } from '../../testing/smtp-sink';

/**
 * Another tenant cannot …: with tenant A's owner token, every auth route that takes an id is tried
 * with tenant B's ids (and with B's id in a spoofed X-Tenant-ID header). Each answer is 404 (the
 * caller learns nothing about B), and B is unchanged afterwards.
 */
describe('auth tenant isolation: tenant A cannot read or change tenant B', () => {
  let stack: AuthStack;
  let a: Session;
  let b: Session;
  let bMember: Session;
  let bKey: { id: string; key: string };
  let bInvite: { id: string; token: string };

  const snapshotOfB = async () => ({
    memberships: (
      await stack.pg.query(`SELECT user_id, role FROM auth.memberships WHERE tenant_id = $1 ORDER BY user_id`, [
        b.tenant.id,
      ])
    ).rows,
    keys: (
      await stack.pg.query(`SELECT id, revoked_at, last_used_at FROM auth.api_keys WHERE tenant_id = $1 ORDER BY id`, [
        b.tenant.id,
      ])
    ).rows,
    invites: (
      await stack.pg.query(`SELECT id, revoked_at, accepted_at FROM auth.invites WHERE tenant_id = $1 ORDER BY id`, [
        b.tenant.id,
      ])
    ).rows,
    sessions: (
      await stack.pg.query(`SELECT id, revoked_at FROM auth.sessions WHERE tenant_id = $1 ORDER BY id`, [b.tenant.id])
    ).rows,
  });

  beforeAll(async () => {
    stack = await AuthStack.start();
    a = await stack.signUp();
    b = await stack.signUp();
    bMember = await stack.join(b, 'member');
    bKey = (await stack.post('/auth/api-keys', { name: 'b', scopes: ['chat:write'] }, b.accessToken)).body;
    const to = `b-invitee-${uniqueSuffix()}@example.com`;
    const invite = await stack.post('/auth/invites', { email: to, role: 'admin' }, b.accessToken);
    bInvite = { id: invite.body.id, token: tokenFromMail(await stack.mail.waitForMail(to)) };
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const attempts = (): [string, string, string, unknown][] => [
    ['change the role of B’s member', 'PATCH', `/auth/members/${bMember.user.id}`, { role: 'owner' }],
    ['change the role of B’s owner', 'PATCH', `/auth/members/${b.user.id}`, { role: 'member' }],
    ['remove B’s member', 'DELETE', `/auth/members/${bMember.user.id}`, undefined],
    ['remove B’s owner', 'DELETE', `/auth/members/${b.user.id}`, undefined],
    ['revoke B’s API key', 'DELETE', `/auth/api-keys/${bKey.id}`, undefined],
    ['revoke B’s invite', 'DELETE', `/auth/invites/${bInvite.id}`, undefined],
  ];

  it.each([
    ['A’s token', false],
    ['A’s token and a spoofed X-Tenant-ID of B', true],
  ])('with %s, every id route answers 404 and nothing changes in B', async (_, spoof) => {
    const headers: Record<string, string> = spoof ? { 'x-tenant-id': b.tenant.id } : {};
    const before = await snapshotOfB();
    for (const [what, method, path, body] of attempts()) {
      const res = await stack.send(method, path, {
        body: body === undefined ? undefined : JSON.stringify(body),
        token: a.accessToken,
        headers,
      });
      expect(res.status, what).toBe(404);
      expect(res.body.error.code, what).toBe('not_found');
    }
    expect(await snapshotOfB()).toEqual(before);
  });

  it('lists only A’s members, keys and invites to A', async () => {
    const members = (await stack.get('/auth/members', a.accessToken)).body.members;
    expect(members.map((m: { userId: string }) => m.userId)).toEqual([a.user.id]);
    expect((await stack.get('/auth/api-keys', a.accessToken)).body.apiKeys).toEqual([]);
    expect((await stack.get('/auth/invites', a.accessToken)).body.invites).toEqual([]);
  });

  it('leaves B working: its key verifies, its invite joins B (not A), its member still signs in', async () => {
    const verified = await stack.post('/internal/api-keys/verify', { key: bKey.key });
    expect(verified.status).toBe(200);
    expect(verified.body.tenantId).toBe(b.tenant.id);
    const joined = await stack.post('/auth/invites/accept', {
      token: bInvite.token,
      name: 'B Admin',
      password: 'b admin password',
    });
    expect(joined.status).toBe(200);
    expect(joined.body.tenant.id).toBe(b.tenant.id);
    expect((await stack.get('/auth/members', bMember.accessToken)).status).toBe(200);
  });

  it('gives a member of B no say in A, whatever their role in B', async () => {
    const res = await stack.patch(`/auth/members/${a.user.id}`, { role: 'member' }, b.accessToken);
    expect(res.status).toBe(404);
    const role = await stack.pg.query(`SELECT role FROM auth.memberships WHERE user_id = $1 AND tenant_id = $2`, [
      a.user.id,
      a.tenant.id,
    ]);
    expect(role.rows).toEqual([{ role: 'owner' }]);
  });
});
