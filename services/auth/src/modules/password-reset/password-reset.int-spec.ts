import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueSuffix, waitFor } from '@parley/testing';
import { AuthStack, type Session } from '../../testing/auth-stack';
import { tokenFromMail } from '../../testing/smtp-sink';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'an entirely new passphrase';

describe('auth password reset: mail, single-use token, every session revoked', () => {
  let stack: AuthStack;

  const requestReset = (email: string) => stack.post('/auth/password-reset', { email });
  const confirm = (token: string, password = NEW_PASSWORD) =>
    stack.post('/auth/password-reset/confirm', { token, password });
  const resetRows = async (userId: string) =>
    (await stack.pg.query(`SELECT * FROM auth.password_resets WHERE user_id = $1`, [userId])).rows;

  beforeAll(async () => {
    stack = await AuthStack.start();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('mails a link; the new password works, the old one does not, and every session is revoked', async () => {
    const owner = await stack.signUp();
    const second: Session = (await stack.post('/auth/sign-in', { email: owner.user.email, password: PASSWORD })).body;
    const before = (await stack.pg.query(`SELECT password_hash FROM auth.users WHERE id = $1`, [owner.user.id]))
      .rows[0];

    const res = await requestReset(owner.user.email.toUpperCase());
    expect(res.status).toBe(202);
    const mail = await stack.mail.waitForMail(owner.user.email);
    expect(mail.subject).toBe('Reset your Parley password');
    expect(mail.text).toMatch(/http:\/\/app\.test\/reset-password\?token=prst_[A-Za-z0-9_-]{43}/);
    const token = tokenFromMail(mail);
    expect(JSON.stringify(await resetRows(owner.user.id))).not.toContain(token.slice(5));

    const done = await confirm(token);
    expect(done.status).toBe(204);
    const after = (await stack.pg.query(`SELECT password_hash FROM auth.users WHERE id = $1`, [owner.user.id])).rows[0];
    expect(after.password_hash).toMatch(/^\$argon2id\$/);
    expect(after.password_hash).not.toBe(before.password_hash);

    for (const session of [owner, second]) {
      const refresh = await stack.post('/auth/refresh', { refreshToken: session.refreshToken });
      expect(refresh.status).toBe(401);
      expect(refresh.body.error.code).toBe('session_revoked');
      expect((await stack.get('/auth/me', session.accessToken)).body.error.code).toBe('session_revoked');
    }
    const reasons = await stack.pg.query(`SELECT DISTINCT revoke_reason FROM auth.sessions WHERE user_id = $1`, [
      owner.user.id,
    ]);
    expect(reasons.rows).toEqual([{ revoke_reason: 'password_reset' }]);

    const old = await stack.post('/auth/sign-in', { email: owner.user.email, password: PASSWORD });
    expect(old.status).toBe(401);
    const fresh = await stack.post('/auth/sign-in', { email: owner.user.email, password: NEW_PASSWORD });
    expect(fresh.status).toBe(200);

    const reuse = await confirm(token, 'yet another password');
    expect(reuse.status).toBe(400);
    expect(reuse.body.error.code).toBe('reset_token_invalid');
    expect((await stack.post('/auth/sign-in', { email: owner.user.email, password: NEW_PASSWORD })).status).toBe(200);
  });

  it('answers 202 for an unknown email too, and sends nothing', async () => {
    const nobody = `nobody-${uniqueSuffix()}@example.com`;
    const res = await requestReset(nobody);
    expect(res.status).toBe(202);
    expect(res.body).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stack.mail.to(nobody)).toEqual([]);
  });

  it('sends at most one reset mail a minute per account', async () => {
    const user = await stack.signUp();
    expect((await requestReset(user.user.email)).status).toBe(202);
    await stack.mail.waitForMail(user.user.email);
    expect((await requestReset(user.user.email)).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stack.mail.to(user.user.email)).toHaveLength(1);
  });

  it('answers an expired token 410 reset_token_expired and leaves the password alone', async () => {
    const user = await stack.signUp();
    await requestReset(user.user.email);
    const token = tokenFromMail(await stack.mail.waitForMail(user.user.email));
    await stack.pg.query(
      `UPDATE auth.password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
      [user.user.id],
    );
    const res = await confirm(token);
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('reset_token_expired');
    expect((await stack.post('/auth/sign-in', { email: user.user.email, password: PASSWORD })).status).toBe(200);
  });

  it('withdraws the token when the mail cannot be sent: still 202, and nothing usable is left', async () => {
    const user = await stack.signUp();
    await stack.mail.stop();
    try {
      expect((await requestReset(user.user.email)).status).toBe(202);
      await waitFor(async () => (await resetRows(user.user.id)).length === 0, { what: 'the token withdrawn' });
    } finally {
      await stack.mail.start();
    }
    expect(stack.mail.to(user.user.email)).toEqual([]);
  });

  it.each([
    ['a malformed token', { token: 'abc', password: NEW_PASSWORD }, 400, 'reset_token_invalid'],
    ['an unknown token', { token: `prst_${'B'.repeat(43)}`, password: NEW_PASSWORD }, 400, 'reset_token_invalid'],
    ['a short password', { token: `prst_${'B'.repeat(43)}`, password: 'short' }, 400, 'validation_failed'],
    [
      'an unknown field',
      { token: `prst_${'B'.repeat(43)}`, password: NEW_PASSWORD, userId: 'x' },
      400,
      'validation_failed',
    ],
    ['no token', { password: NEW_PASSWORD }, 400, 'validation_failed'],
  ])('refuses %s', async (_, body, status, code) => {
    const res = await stack.post('/auth/password-reset/confirm', body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('refuses a malformed request with 400, never 500', async () => {
    expect((await stack.post('/auth/password-reset', {})).status).toBe(400);
    expect((await stack.post('/auth/password-reset', { email: ['a'] })).status).toBe(400);
    expect((await stack.post('/auth/password-reset', '{"email"')).status).toBe(400);
  });
});
