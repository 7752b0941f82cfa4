import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthStack, type Session } from '../../testing/auth-stack';

const PASSWORD = 'correct horse battery staple';
const sha256 = (token: string) => createHash('sha256').update(token).digest();

describe('auth sessions: refresh rotation, reuse detection, sign-out', () => {
  let stack: AuthStack;

  const refresh = (refreshToken: string) => stack.post('/auth/refresh', { refreshToken });
  const signIn = async (email: string, tenantSlug?: string): Promise<Session> => {
    const res = await stack.post('/auth/sign-in', { email, password: PASSWORD, ...(tenantSlug ? { tenantSlug } : {}) });
    expect(res.status).toBe(200);
    return res.body as Session;
  };
  const refreshOk = async (refreshToken: string): Promise<Session> => {
    const res = await refresh(refreshToken);
    expect(res.status).toBe(200);
    return res.body as Session;
  };

  beforeAll(async () => {
    stack = await AuthStack.start();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('rotates the refresh token on every use and stores only its sha256', async () => {
    const first = await stack.signUp();
    const second = await refreshOk(first.refreshToken);
    expect(second.refreshToken).toMatch(/^prt_[A-Za-z0-9_-]{43}$/);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const before = decodeJwt(first.accessToken);
    const after = decodeJwt(second.accessToken);
    expect(after).toMatchObject({ sub: before.sub, tid: before.tid, sid: before.sid, role: 'owner', plan: 'free' });
    expect(after.jti).not.toBe(before.jti);

    const rows = await stack.pg.query(
      `SELECT token_hash, used_at, replaced_by, family_id FROM auth.refresh_tokens WHERE session_id = $1
        ORDER BY created_at`,
      [before.sid],
    );
    expect(rows.rows).toHaveLength(2);
    expect(rows.rows[0].token_hash.equals(sha256(first.refreshToken))).toBe(true);
    expect(rows.rows[0].used_at).toBeInstanceOf(Date);
    expect(rows.rows[0].replaced_by.equals(sha256(second.refreshToken))).toBe(true);
    expect(rows.rows[1].used_at).toBeNull();
    expect(rows.rows[1].family_id).toBe(rows.rows[0].family_id);
    const dump = await stack.pg.query(`SELECT row_to_json(r)::text AS row FROM auth.refresh_tokens r`);
    const secret = first.refreshToken.slice(4);
    expect(dump.rows.some((r) => r.row.includes(secret))).toBe(false);
  });

  it('revokes the whole family when a used refresh token comes back: the newest one fails too', async () => {
    const user = await stack.signUp();
    const otherSession = await signIn(user.user.email); // another family of the same user
    const r2 = await refreshOk(user.refreshToken);
    const r3 = await refreshOk(r2.refreshToken);

    const replay = await refresh(user.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('refresh_token_reused');

    const newest = await refresh(r3.refreshToken);
    expect(newest.status).toBe(401);
    expect(newest.body.error.code).toBe('session_revoked');
    expect((await stack.get('/auth/me', r3.accessToken)).body.error.code).toBe('session_revoked');
    const session = await stack.pg.query(`SELECT revoked_at, revoke_reason FROM auth.sessions WHERE id = $1`, [
      decodeJwt(r3.accessToken).sid,
    ]);
    expect(session.rows[0]).toMatchObject({ revoked_at: expect.any(Date), revoke_reason: 'refresh_token_reused' });
    expect((await refresh(r2.refreshToken)).body.error.code).toBe('session_revoked');

    // The user's other session is its own family and keeps working.
    expect((await refresh(otherSession.refreshToken)).status).toBe(200);
  });

  it('lets only one of two concurrent uses of a refresh token win; the loser revokes the family', async () => {
    const user = await stack.signUp();
    const results = await Promise.all([refresh(user.refreshToken), refresh(user.refreshToken)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    const winner = results.find((r) => r.status === 200)?.body as Session;
    expect((await refresh(winner.refreshToken)).body.error.code).toBe('session_revoked');
  });

  it('refuses an expired refresh token with 401 refresh_token_expired', async () => {
    const user = await stack.signUp();
    await stack.pg.query(
      `UPDATE auth.refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
      [sha256(user.refreshToken)],
    );
    const res = await refresh(user.refreshToken);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('refresh_token_expired');
  });

  it.each([
    ['an unknown token', () => `prt_${randomBytes(32).toString('base64url')}`],
    ['another format', () => 'not-a-refresh-token'],
    ['an access token', () => 'eyJhbGciOiJFZERTQSJ9.e30.sig'],
    ['an empty string', () => ''],
  ])('refuses %s with 401 invalid_refresh_token', async (_, token) => {
    const res = await refresh(token());
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_refresh_token');
  });

  it('signs out: 204, the session is revoked, signing out again is harmless, a missing token is 401', async () => {
    const user = await stack.signUp();
    expect((await stack.post('/auth/sign-out', undefined, user.accessToken)).status).toBe(204);
    expect((await stack.post('/auth/sign-out', undefined, user.accessToken)).status).toBe(204);
    expect((await refresh(user.refreshToken)).body.error.code).toBe('session_revoked');
    const session = await stack.pg.query(`SELECT revoke_reason FROM auth.sessions WHERE id = $1`, [
      decodeJwt(user.accessToken).sid,
    ]);
    expect(session.rows).toEqual([{ revoke_reason: 'sign_out' }]);

    const anonymous = await stack.post('/auth/sign-out', undefined);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('authentication_required');
    const garbage = await stack.request('POST', '/auth/sign-out', undefined, 'not a jwt');
    expect(garbage.status).toBe(401);
    expect(garbage.body.error.code).toBe('invalid_access_token');
  });

  describe('another tenant', () => {
    let alice: Session; // owner of tenant A, member of tenant B
    let bob: Session; // owner of tenant B
    let aliceInA: Session;
    let aliceInB: Session;

    beforeAll(async () => {
      alice = await stack.signUp();
      bob = await stack.signUp();
      await stack.pg.query(`INSERT INTO auth.memberships (user_id, tenant_id, role) VALUES ($1, $2, 'member')`, [
        alice.user.id,
        bob.tenant.id,
      ]);
      aliceInA = await signIn(alice.user.email, alice.tenant.slug);
      aliceInB = await signIn(alice.user.email, bob.tenant.slug);
    });

    it('cannot get a tenant B token from a tenant A refresh token', async () => {
      let current = aliceInA;
      for (let i = 0; i < 3; i++) {
        current = await refreshOk(current.refreshToken);
        expect(decodeJwt(current.accessToken)).toMatchObject({
          tid: alice.tenant.id,
          role: 'owner',
          sid: decodeJwt(aliceInA.accessToken).sid,
        });
      }
      aliceInA = current;
      const steered = await stack.post('/auth/refresh', {
        refreshToken: current.refreshToken,
        tenantId: bob.tenant.id,
      });
      expect(steered.status).toBe(400);
      const next = await refreshOk(current.refreshToken); // the refused request consumed nothing
      expect(decodeJwt(next.accessToken).tid).toBe(alice.tenant.id);
      aliceInA = next;
    });

    it('cannot use tenant B’s session through tenant A’s token, and signing out of A leaves B alone', async () => {
      expect(decodeJwt(aliceInB.accessToken)).toMatchObject({ tid: bob.tenant.id, role: 'member' });
      expect((await stack.get('/auth/me', aliceInB.accessToken)).body.tenant).toEqual({
        id: bob.tenant.id,
        role: 'member',
      });
      expect((await stack.post('/auth/sign-out', undefined, aliceInA.accessToken)).status).toBe(204);
      expect((await refresh(aliceInA.refreshToken)).body.error.code).toBe('session_revoked');
      const stillB = await refreshOk(aliceInB.refreshToken);
      expect(decodeJwt(stillB.accessToken).tid).toBe(bob.tenant.id);
      expect((await stack.get('/auth/me', bob.accessToken)).status).toBe(200);
    });

    it('cannot replay tenant A’s refresh token to revoke or reach tenant B', async () => {
      const a = await signIn(alice.user.email, alice.tenant.slug);
      const b = await signIn(alice.user.email, bob.tenant.slug);
      await refreshOk(a.refreshToken);
      expect((await refresh(a.refreshToken)).body.error.code).toBe('refresh_token_reused');
      const stillB = await refreshOk(b.refreshToken); // B's family is untouched by A's reuse
      expect(decodeJwt(stillB.accessToken).tid).toBe(bob.tenant.id);
    });
  });
});
