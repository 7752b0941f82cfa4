import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@parley/testing';
import { SmtpSinkProcess } from './support/smtp-sink-process';
import { json, startIdentityStack, type IdentityStack } from './support/stack';

/**
 * Self-hosted mode through the gateway, with the real services and a real SMTP sink: the first
 * sign-up owns the one default tenant, sign-up then closes, and a colleague joins by invitation
 * (the mail is read from the sink).
 */
describe('self-hosted: first owner, then invitations', () => {
  let mail: SmtpSinkProcess;
  let stack: IdentityStack;
  let api: string;

  const call = (path: string, body?: unknown, token?: string) =>
    fetch(`${api}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const signUp = (email: string) =>
    call('/api/v1/auth/sign-up', {
      organizationName: 'ignored',
      organizationSlug: 'ignored',
      email,
      password: 'correct horse battery',
      name: email,
    });

  beforeAll(async () => {
    mail = await SmtpSinkProcess.start(await freePort());
    stack = await startIdentityStack({ mode: 'self-hosted', authEnv: { SMTP_URL: `smtp://127.0.0.1:${mail.port}` } });
    api = stack.api;
  });

  afterAll(async () => {
    await stack?.stop();
    await mail?.stop();
  });

  it('makes the first sign-up the owner of the default tenant and closes sign-up after it', async () => {
    const first = await signUp('admin@home.test');
    expect(first.status).toBe(201);
    const owner = await json(first);
    expect(owner.tenant).toMatchObject({ slug: 'default' });
    expect(await json(call('/api/v1/me', undefined, owner.accessToken))).toMatchObject({
      role: 'owner',
      tenantId: owner.tenant.id,
    });
    const second = await signUp('intruder@home.test');
    expect(second.status).toBe(403);
    expect((await json(second)).error.code).toBe('signup_closed');
  });

  it('lets an owner invite a colleague who joins through the emailed link', async () => {
    const owner = await json(
      call('/api/v1/auth/sign-in', { email: 'admin@home.test', password: 'correct horse battery' }),
    );
    const invite = await call(
      '/api/v1/auth/invites',
      { email: 'colleague@home.test', role: 'member' },
      owner.accessToken,
    );
    expect(invite.status).toBe(201);
    const message = await waitFor(() => mail.messages().find((m) => m.to.includes('colleague@home.test')), {
      what: 'invite mail',
    });
    const token = /invite\?token=([A-Za-z0-9_\-.~%]+)/.exec(message.text)?.[1];
    expect(token).toBeTruthy();
    const joined = await call('/api/v1/auth/invites/accept', {
      token: decodeURIComponent(token ?? ''),
      name: 'Colleague',
      password: 'another good passphrase',
    });
    expect(joined.status).toBe(200);
    const colleague = await json(joined);
    expect(await json(call('/api/v1/me', undefined, colleague.accessToken))).toMatchObject({
      role: 'member',
      tenantId: owner.tenant.id,
    });
    const again = await call('/api/v1/auth/invites/accept', {
      token: decodeURIComponent(token ?? ''),
      name: 'Again',
      password: 'another good passphrase',
    });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
  });
});
