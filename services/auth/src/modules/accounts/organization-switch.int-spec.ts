import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthStack, type Session } from '../../testing/auth-stack';
import { tokenFromMail } from '../../testing/smtp-sink';

const PASSWORD = 'correct horse battery staple';

describe('auth: the organisations of a person, and switching between them', () => {
  let stack: AuthStack;
  let home: Session;
  let away: Session;
  let stranger: Session;

  beforeAll(async () => {
    stack = await AuthStack.start();
    home = await stack.signUp({ password: PASSWORD });
    away = await stack.signUp();
    stranger = await stack.signUp();
    // The person of `home` joins `away` as a member with their existing account.
    await stack.post('/auth/invites', { email: home.user.email, role: 'member' }, away.accessToken);
    const token = tokenFromMail(await stack.mail.waitForMail(home.user.email));
    const accepted = await stack.post('/auth/invites/accept', { token, password: PASSWORD });
    expect(accepted.status).toBe(200);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('lists the organisations the bearer belongs to, oldest first, the current one marked', async () => {
    const res = await stack.get('/auth/memberships', home.accessToken);
    expect(res.status).toBe(200);
    expect(res.body.memberships).toEqual([
      {
        tenantId: home.tenant.id,
        slug: home.tenant.slug,
        name: home.tenant.name,
        plan: 'free',
        role: 'owner',
        current: true,
      },
      {
        tenantId: away.tenant.id,
        slug: away.tenant.slug,
        name: away.tenant.name,
        plan: 'free',
        role: 'member',
        current: false,
      },
    ]);
    // Someone else sees only their own.
    const theirs = await stack.get('/auth/memberships', stranger.accessToken);
    expect(theirs.body.memberships.map((m: { slug: string }) => m.slug)).toEqual([stranger.tenant.slug]);
    expect((await stack.get('/auth/memberships')).status).toBe(401);
  });

  it('switches to another of their organisations: a new session there, the old one signed out', async () => {
    const before = await stack.post('/auth/sign-in', { email: home.user.email, password: PASSWORD });
    expect(before.status).toBe(200);
    const res = await stack.post(
      '/auth/switch-organization',
      { tenantSlug: away.tenant.slug },
      before.body.accessToken,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user: home.user, tenant: { id: away.tenant.id, slug: away.tenant.slug } });
    expect(decodeJwt(res.body.accessToken)).toMatchObject({ sub: home.user.id, tid: away.tenant.id, role: 'member' });
    const me = await stack.get('/auth/me', res.body.accessToken);
    expect(me.body.tenant).toEqual({ id: away.tenant.id, role: 'member' });
    const listed = await stack.get('/auth/memberships', res.body.accessToken);
    expect(listed.body.memberships.find((m: { current: boolean }) => m.current).slug).toBe(away.tenant.slug);

    // The session it came from no longer refreshes nor answers.
    const oldRefresh = await stack.post('/auth/refresh', { refreshToken: before.body.refreshToken });
    expect(oldRefresh.status).toBe(401);
    const oldMe = await stack.get('/auth/me', before.body.accessToken);
    expect(oldMe.status).toBe(401);
    expect(oldMe.body.error.code).toBe('session_revoked');
    // And the new one refreshes.
    expect((await stack.post('/auth/refresh', { refreshToken: res.body.refreshToken })).status).toBe(200);
  });

  it('another tenant cannot be switched into: an organisation the person does not belong to is 404', async () => {
    const res = await stack.post('/auth/switch-organization', { tenantSlug: stranger.tenant.slug }, home.accessToken);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    const none = await stack.post('/auth/switch-organization', { tenantSlug: 'no-such-org-here' }, home.accessToken);
    expect(none.status).toBe(404);
    // The refusal left the session alone.
    expect((await stack.get('/auth/me', home.accessToken)).status).toBe(200);
  });

  it('refuses a bad body (400) and a missing token (401)', async () => {
    for (const body of [{}, { tenantSlug: 'Not A Slug' }, { tenantSlug: away.tenant.slug, extra: 1 }]) {
      const res = await stack.post('/auth/switch-organization', body, home.accessToken);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await stack.post('/auth/switch-organization', { tenantSlug: away.tenant.slug })).status).toBe(401);
  });
});
