import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthStack, type Session } from '../../testing/auth-stack';

describe('auth members: roles, role changes, removal', () => {
  let stack: AuthStack;
  let owner: Session;
  let admin: Session;
  let member: Session;

  const roleOf = async (userId: string, tenantId = owner.tenant.id): Promise<string | undefined> =>
    (
      await stack.pg.query(`SELECT role FROM auth.memberships WHERE user_id = $1 AND tenant_id = $2`, [
        userId,
        tenantId,
      ])
    ).rows[0]?.role;

  beforeAll(async () => {
    stack = await AuthStack.start();
    owner = await stack.signUp();
    // More seats than the free plan's 3, so the tests can add people.
    await stack.pg.query(`UPDATE control.tenants SET plan_id = 'pro' WHERE id = $1`, [owner.tenant.id]);
    admin = await stack.join(owner, 'admin');
    member = await stack.join(owner, 'member');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('lists the members of the caller’s tenant to any member, with their roles', async () => {
    const res = await stack.get('/auth/members', member.accessToken);
    expect(res.status).toBe(200);
    const byId = new Map(res.body.members.map((m: { userId: string }) => [m.userId, m]));
    expect(byId.get(owner.user.id)).toMatchObject({ email: owner.user.email, role: 'owner' });
    expect(byId.get(admin.user.id)).toMatchObject({ role: 'admin', name: 'Joiner' });
    expect(byId.get(member.user.id)).toMatchObject({ role: 'member', joinedAt: expect.any(String) });
    expect(res.body.members).toHaveLength(3);
    expect(JSON.stringify(res.body)).not.toMatch(/password|argon2/i);
  });

  it('refuses role changes and removals to a plain member (403 forbidden), changing nothing', async () => {
    const patch = await stack.patch(`/auth/members/${admin.user.id}`, { role: 'member' }, member.accessToken);
    expect(patch.status).toBe(403);
    expect(patch.body.error.code).toBe('forbidden');
    const del = await stack.delete(`/auth/members/${admin.user.id}`, member.accessToken);
    expect(del.status).toBe(403);
    expect(del.body.error.code).toBe('forbidden');
    expect(await roleOf(admin.user.id)).toBe('admin');
  });

  it('lets an admin manage non-owner roles but never grant, change or remove owner', async () => {
    const person = await stack.join(owner, 'member');
    const toBilling = await stack.patch(`/auth/members/${person.user.id}`, { role: 'billing' }, admin.accessToken);
    expect(toBilling.status).toBe(200);
    expect(toBilling.body).toMatchObject({ userId: person.user.id, role: 'billing' });
    expect(await roleOf(person.user.id)).toBe('billing');

    const grant = await stack.patch(`/auth/members/${person.user.id}`, { role: 'owner' }, admin.accessToken);
    expect(grant.status).toBe(403);
    expect(grant.body.error.code).toBe('forbidden');
    const demote = await stack.patch(`/auth/members/${owner.user.id}`, { role: 'admin' }, admin.accessToken);
    expect(demote.status).toBe(403);
    const remove = await stack.delete(`/auth/members/${owner.user.id}`, admin.accessToken);
    expect(remove.status).toBe(403);
    expect(await roleOf(person.user.id)).toBe('billing');
    expect(await roleOf(owner.user.id)).toBe('owner');
  });

  it('keeps the last owner: no demotion, no removal (409 last_owner); with two owners one may step down', async () => {
    const solo = await stack.signUp();
    const demoteSelf = await stack.patch(`/auth/members/${solo.user.id}`, { role: 'admin' }, solo.accessToken);
    expect(demoteSelf.status).toBe(409);
    expect(demoteSelf.body.error.code).toBe('last_owner');
    const removeSelf = await stack.delete(`/auth/members/${solo.user.id}`, solo.accessToken);
    expect(removeSelf.status).toBe(409);
    expect(removeSelf.body.error.code).toBe('last_owner');
    expect(await roleOf(solo.user.id, solo.tenant.id)).toBe('owner');

    const second = await stack.join(solo, 'admin');
    const grant = await stack.patch(`/auth/members/${second.user.id}`, { role: 'owner' }, solo.accessToken);
    expect(grant.status).toBe(200);
    const stepDown = await stack.patch(`/auth/members/${solo.user.id}`, { role: 'member' }, solo.accessToken);
    expect(stepDown.status).toBe(200);
    expect(await roleOf(solo.user.id, solo.tenant.id)).toBe('member');
    const last = await stack.delete(`/auth/members/${second.user.id}`, second.accessToken);
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('last_owner');
  });

  it('applies a demotion at once, though the old access token still says admin', async () => {
    const deputy = await stack.join(owner, 'admin');
    expect(decodeJwt(deputy.accessToken).role).toBe('admin');
    const ok = await stack.patch(`/auth/members/${deputy.user.id}`, { role: 'member' }, owner.accessToken);
    expect(ok.status).toBe(200);
    const create = await stack.post('/auth/api-keys', { name: 'ci', scopes: ['chat:write'] }, deputy.accessToken);
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('forbidden');
    // The next refresh carries the new role.
    const refreshed = await stack.post('/auth/refresh', { refreshToken: deputy.refreshToken });
    expect(decodeJwt(refreshed.body.accessToken).role).toBe('member');
  });

  it('removes a member and revokes their sessions: refresh and their access token stop working', async () => {
    const leaver = await stack.join(owner, 'member');
    const res = await stack.delete(`/auth/members/${leaver.user.id}`, admin.accessToken);
    expect(res.status).toBe(204);
    expect(await roleOf(leaver.user.id)).toBeUndefined();
    const sessions = await stack.pg.query(`SELECT count(*)::int AS n FROM auth.sessions WHERE user_id = $1`, [
      leaver.user.id,
    ]);
    expect(sessions.rows[0].n).toBe(0);
    const refresh = await stack.post('/auth/refresh', { refreshToken: leaver.refreshToken });
    expect(refresh.status).toBe(401);
    const list = await stack.get('/auth/members', leaver.accessToken);
    expect(list.status).toBe(401);
    expect(list.body.error.code).toBe('session_revoked');
    const again = await stack.delete(`/auth/members/${leaver.user.id}`, admin.accessToken);
    expect(again.status).toBe(404);
  });

  it.each([
    ['a role that does not exist', 'PATCH', 'member', { role: 'superuser' }, 400, 'validation_failed'],
    ['an unknown field', 'PATCH', 'member', { role: 'member', tenantId: 'x' }, 400, 'validation_failed'],
    ['a malformed id', 'PATCH', 'not-a-uuid', { role: 'member' }, 400, 'validation_failed'],
    ['an unknown user', 'PATCH', '00000000-0000-4000-8000-000000000000', { role: 'member' }, 404, 'not_found'],
    ['a malformed id', 'DELETE', '12345', undefined, 400, 'validation_failed'],
  ])('answers %s (%s) with %i, never 500', async (_, method, id, body, status, code) => {
    const target = id === 'member' ? member.user.id : id;
    const res = await stack.send(method, `/auth/members/${target}`, {
      body: body === undefined ? undefined : JSON.stringify(body),
      token: owner.accessToken,
    });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('requires a bearer token', async () => {
    expect((await stack.get('/auth/members')).status).toBe(401);
    expect((await stack.get('/auth/members', 'not.a.jwt')).status).toBe(401);
  });
});
