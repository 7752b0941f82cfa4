import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueSuffix } from '@parley/testing';
import { AuthStack, type Session } from '../../testing/auth-stack';
import { tokenFromMail } from '../../testing/smtp-sink';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a new member password';

describe('auth invites: mail, accept, single use, limits, mail outage', () => {
  let stack: AuthStack;
  let owner: Session;

  const email = () => `invitee-${uniqueSuffix()}@example.com`;
  const invite = (session: Session, to: string, role = 'member') =>
    stack.post('/auth/invites', { email: to, role }, session.accessToken);
  const accept = (token: string, body: Record<string, unknown> = { name: 'New Member', password: NEW_PASSWORD }) =>
    stack.post('/auth/invites/accept', { token, ...body });
  const inviteRows = async (to: string) =>
    (await stack.pg.query(`SELECT * FROM auth.invites WHERE email = $1 ORDER BY created_at`, [to])).rows;

  beforeAll(async () => {
    stack = await AuthStack.start();
    owner = await stack.signUp();
    await stack.pg.query(`UPDATE control.tenants SET plan_id = 'pro' WHERE id = $1`, [owner.tenant.id]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('invites by mail; the link joins a new person, who can then sign in; the token works once', async () => {
    const to = email();
    const res = await invite(owner, to, 'admin');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      email: to,
      role: 'admin',
      invitedBy: owner.user.id,
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    const ttl = Date.parse(res.body.expiresAt) - Date.parse(res.body.createdAt);
    expect(Math.abs(ttl - 7 * 24 * 3600_000)).toBeLessThan(5000);

    const mail = await stack.mail.waitForMail(to);
    expect(mail.subject).toBe(`You are invited to join ${owner.tenant.name} on Parley`);
    expect(mail.text).toContain('as admin');
    expect(mail.text).toMatch(/http:\/\/app\.test\/invite\?token=pinv_[A-Za-z0-9_-]{43}/);
    const token = tokenFromMail(mail);
    const [row] = await inviteRows(to);
    expect(row.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(JSON.stringify(row)).not.toContain(token.slice(5));

    const joined = await accept(token);
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({
      user: { email: to, name: 'New Member' },
      tenant: { id: owner.tenant.id, slug: owner.tenant.slug },
      tokenType: 'Bearer',
    });
    expect(decodeJwt(joined.body.accessToken)).toMatchObject({ tid: owner.tenant.id, role: 'admin' });

    const signIn = await stack.post('/auth/sign-in', { email: to, password: NEW_PASSWORD });
    expect(signIn.status).toBe(200);
    expect(signIn.body.tenant.id).toBe(owner.tenant.id);
    const members = (await stack.get('/auth/members', signIn.body.accessToken)).body.members;
    expect(members.map((m: { email: string }) => m.email)).toContain(to);

    const again = await accept(token);
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('invite_invalid');
    expect((await stack.get('/auth/invites', owner.accessToken)).body.invites).toEqual([]);
  });

  it('answers unknown and malformed tokens 400 invite_invalid and an expired one 410 invite_expired', async () => {
    const unknown = await accept(`pinv_${'A'.repeat(43)}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('invite_invalid');
    expect((await accept('not-a-token')).body.error.code).toBe('invite_invalid');

    const to = email();
    await invite(owner, to);
    const token = tokenFromMail(await stack.mail.waitForMail(to));
    await stack.pg.query(`UPDATE auth.invites SET expires_at = now() - interval '1 second' WHERE email = $1`, [to]);
    const expired = await accept(token);
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('invite_expired');
    expect(await stack.pg.query(`SELECT 1 FROM auth.users WHERE email = $1`, [to])).toMatchObject({ rowCount: 0 });
  });

  it('adds an existing account after checking its password, and the account then has both tenants', async () => {
    const other = await stack.signUp();
    await invite(owner, other.user.email, 'billing');
    const token = tokenFromMail(await stack.mail.waitForMail(other.user.email));
    const wrong = await accept(token, { password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    const ok = await accept(token, { password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toEqual(other.user);
    expect(decodeJwt(ok.body.accessToken)).toMatchObject({ sub: other.user.id, tid: owner.tenant.id, role: 'billing' });
    const here = await stack.post('/auth/sign-in', {
      email: other.user.email,
      password: PASSWORD,
      tenantSlug: owner.tenant.slug,
    });
    expect(here.body.tenant.id).toBe(owner.tenant.id);

    await invite(owner, other.user.email).then((r) => expect(r.body.error.code).toBe('already_member'));
  });

  it('needs a name and a 10-character password for a new account (400), keeping the invite usable', async () => {
    const to = email();
    await invite(owner, to);
    const token = tokenFromMail(await stack.mail.waitForMail(to));
    const noName = await accept(token, { password: NEW_PASSWORD });
    expect(noName.status).toBe(400);
    expect(noName.body.error.code).toBe('validation_failed');
    const short = await accept(token, { name: 'N', password: 'short' });
    expect(short.status).toBe(400);
    expect((await accept(token)).status).toBe(200);
  });

  it('replaces an earlier invite to the same email, and a revoked invite stops working', async () => {
    const to = email();
    await invite(owner, to);
    const first = tokenFromMail(await stack.mail.waitForMail(to));
    const second = await invite(owner, to, 'billing');
    const latest = tokenFromMail(await stack.mail.waitForMail(to, 1));
    expect((await accept(first)).body.error.code).toBe('invite_invalid');
    const listed = (await stack.get('/auth/invites', owner.accessToken)).body.invites;
    expect(listed).toEqual([expect.objectContaining({ id: second.body.id, email: to, role: 'billing' })]);
    expect(JSON.stringify(listed)).not.toContain('pinv_');

    expect((await stack.delete(`/auth/invites/${second.body.id}`, owner.accessToken)).status).toBe(204);
    expect((await accept(latest)).body.error.code).toBe('invite_invalid');
  });

  it('keeps invites to owners and admins; only an owner invites an owner', async () => {
    const admin = await stack.join(owner, 'admin');
    const member = await stack.join(owner, 'member');
    const byMember = await invite(member, email());
    expect(byMember.status).toBe(403);
    expect(byMember.body.error.code).toBe('forbidden');
    expect((await stack.get('/auth/invites', member.accessToken)).status).toBe(403);
    const ownerByAdmin = await invite(admin, email(), 'owner');
    expect(ownerByAdmin.status).toBe(403);
    expect(ownerByAdmin.body.error.code).toBe('forbidden');
    expect((await invite(admin, email(), 'admin')).status).toBe(201);
    expect((await invite(owner, email(), 'owner')).status).toBe(201);
  });

  it('stops at the plan member limit, counting open invites, and again when accepting (409 member_limit_reached)', async () => {
    const small = await stack.signUp(); // free plan: 3 members
    const first = email();
    const second = email();
    expect((await invite(small, first)).status).toBe(201);
    expect((await invite(small, second)).status).toBe(201);
    const third = await invite(small, email());
    expect(third.status).toBe(409);
    expect(third.body.error).toMatchObject({ code: 'member_limit_reached', details: { limit: 3 } });

    const token = tokenFromMail(await stack.mail.waitForMail(first));
    // Meanwhile the tenant filled up another way.
    for (const filler of [await stack.signUp(), await stack.signUp()]) {
      await stack.pg.query(`INSERT INTO auth.memberships (user_id, tenant_id, role) VALUES ($1, $2, 'member')`, [
        filler.user.id,
        small.tenant.id,
      ]);
    }
    const full = await accept(token);
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('member_limit_reached');
    expect(await stack.pg.query(`SELECT 1 FROM auth.users WHERE email = $1`, [first])).toMatchObject({ rowCount: 0 });
  });

  it('answers 503 mail_unavailable when the mail server is down, leaving no usable invite; works again after', async () => {
    const to = email();
    await stack.mail.stop();
    try {
      const res = await invite(owner, to);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('mail_unavailable');
      expect(await inviteRows(to)).toEqual([]);
      const listed = (await stack.get('/auth/invites', owner.accessToken)).body.invites;
      expect(listed.map((i: { email: string }) => i.email)).not.toContain(to);
    } finally {
      await stack.mail.start();
    }
    expect((await invite(owner, to)).status).toBe(201);
    expect((await accept(tokenFromMail(await stack.mail.waitForMail(to)))).status).toBe(200);
  });

  it.each([
    ['a bad email', { email: 'nope', role: 'member' }],
    ['a bad role', { email: 'x@example.com', role: 'root' }],
    ['an unknown field', { email: 'x@example.com', role: 'member', tenantId: 'b' }],
    ['no role', { email: 'x@example.com' }],
  ])('refuses an invite with %s (400 validation_failed)', async (_, body) => {
    const res = await stack.post('/auth/invites', body, owner.accessToken);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('refuses bad accept and revoke input with 4xx, never 500', async () => {
    expect((await stack.post('/auth/invites/accept', { token: 1, password: 'x' })).status).toBe(400);
    expect((await stack.post('/auth/invites/accept', { password: 'x' })).status).toBe(400);
    expect((await stack.post('/auth/invites/accept', { token: 'x', password: 'x', role: 'owner' })).status).toBe(400);
    expect((await stack.delete('/auth/invites/zzz', owner.accessToken)).status).toBe(400);
    expect((await stack.delete(`/auth/invites/00000000-0000-4000-8000-000000000000`, owner.accessToken)).status).toBe(
      404,
    );
  });
});
