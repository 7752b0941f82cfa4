import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentInternalAuthSecret } from '@parley/config';
import { AuthMembershipChangedV1 } from '@parley/contracts';
import { infra, internalPrincipalHeaders, TopicReader, waitFor } from '@parley/testing';
import { EdgeStack, type Member } from './support/edge-stack';

/**
 * The signed internal principal (issue 10, defects 1 and 6), through the real gateway, auth, tenant
 * and chat-orchestrator: the role of a request is the member's role in auth's data at that request,
 * never the access token's; the orchestrator trusts nothing but a principal token the gateway signed.
 */
describe('the signed internal principal', () => {
  let stack: EdgeStack;
  let owner: Member;
  let changes: TopicReader;

  beforeAll(async () => {
    stack = await EdgeStack.start();
    owner = await stack.signUp();
    const topic = `${stack.platform.topicPrefix}${AuthMembershipChangedV1.name}`;
    changes = await new TopicReader(infra().KAFKA_BROKERS.split(','), topic).start();
  });

  afterAll(async () => {
    await changes?.stop();
    await stack?.stop();
  });

  it("a demoted admin's old token gets 403 on the admin-only chat routes at the next request", async () => {
    const admin = await stack.join(owner, 'admin');
    const stats = () => stack.call('/api/v1/chat/stats?by=user', { token: admin.accessToken });
    expect((await stats()).status).toBe(200);

    const demoted = await stack.call(`/api/v1/auth/members/${admin.userId}`, {
      method: 'PATCH',
      token: owner.accessToken,
      body: { role: 'member' },
    });
    expect(demoted.status).toBe(200);

    const byok = await stack.call('/api/v1/chat/providers/openai', {
      method: 'PUT',
      token: admin.accessToken,
      body: { apiKey: 'sk-demoted-1234', model: 'gpt-4.1-mini' },
    });
    const skill = await stack.call('/api/v1/skills', {
      method: 'POST',
      token: admin.accessToken,
      body: { name: 'Shared', command: '/shared', systemPrompt: 'Be brief.', visibility: 'tenant' },
    });
    const perUser = await stats();
    for (const answer of [byok, skill, perUser]) {
      expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({ status: 403, code: 'forbidden' });
    }
    expect((await stack.call('/api/v1/me', { token: admin.accessToken })).body).toMatchObject({ role: 'member' });
    // Every other gateway replica forgets the cached role when this event arrives.
    const event = await waitFor(
      () => changes.messages.find((m) => m.value?.includes(admin.userId) && m.value.includes('"member"')),
      { what: 'auth.membership-changed.v1 for the demotion' },
    );
    expect(JSON.parse(event.value ?? '')).toMatchObject({
      tenantId: owner.tenantId,
      userId: admin.userId,
      role: 'member',
    });
    // …and the gateway consumed it (outcome ok: its MembershipRoles forgot the member's role).
    await waitFor(
      async () =>
        /bus_messages_handled_total\{topic="auth\.membership-changed\.v1",outcome="ok"[^}]*\} [1-9]/.test(
          await (await fetch(`${stack.api}/metrics`)).text(),
        ),
      { what: "the gateway's handling of auth.membership-changed.v1" },
    );
  });

  it('a promoted member gets the admin routes at the next request, with the token issued before', async () => {
    const member = await stack.join(owner, 'member');
    const stats = () => stack.call('/api/v1/chat/stats?by=user', { token: member.accessToken });
    expect((await stats()).status).toBe(403);
    const promoted = await stack.call(`/api/v1/auth/members/${member.userId}`, {
      method: 'PATCH',
      token: owner.accessToken,
      body: { role: 'admin' },
    });
    expect(promoted.status).toBe(200);
    expect((await stats()).status).toBe(200);
  });

  it('a removed member is refused at the next request (401 session_revoked)', async () => {
    const owner = await stack.signUp();
    const member = await stack.join(owner, 'member');
    expect((await stack.call('/api/v1/conversations', { token: member.accessToken })).status).toBe(200);
    const removed = await stack.call(`/api/v1/auth/members/${member.userId}`, {
      method: 'DELETE',
      token: owner.accessToken,
    });
    expect(removed.status).toBe(204);
    const after = await stack.call('/api/v1/conversations', { token: member.accessToken });
    expect({ status: after.status, code: after.body?.error?.code }).toEqual({ status: 401, code: 'session_revoked' });
  });

  describe('the egress policy on tenant URLs (cloud mode)', () => {
    it.each([
      'http://127.0.0.1:9/v1',
      'https://127.0.0.1:9/v1',
      'https://2130706433/v1',
      'https://[::ffff:127.0.0.1]/v1',
      'https://169.254.169.254/latest',
      'https://10.0.0.8/v1',
      'https://localhost:9/v1',
    ])('an owner cannot point the BYOK provider at %s (400 egress_denied), and nothing is stored', async (baseUrl) => {
      const refused = await stack.call('/api/v1/chat/providers/openai', {
        method: 'PUT',
        token: owner.accessToken,
        body: { apiKey: 'sk-ssrf-1234', baseUrl, model: 'gpt-4.1-mini' },
      });
      expect({ status: refused.status, code: refused.body?.error?.code }).toEqual({
        status: 400,
        code: 'egress_denied',
      });
      const listed = await stack.call('/api/v1/chat/providers', { token: owner.accessToken });
      expect(JSON.stringify(listed.body)).not.toContain(baseUrl);
    });
  });

  describe('direct calls to the chat-orchestrator (:8004)', () => {
    const chat = () => stack.platform.url('chat-orchestrator');

    it("refuses hand-written principal headers (401), even naming a real tenant's owner", async () => {
      const answer = await stack.call('/conversations', {
        base: chat(),
        headers: {
          'x-tenant-id': owner.tenantId,
          'x-user-id': owner.userId,
          'x-principal-kind': 'user',
          'x-principal-role': 'owner',
          'x-principal-plan': 'enterprise',
        },
      });
      expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({
        status: 401,
        code: 'invalid_principal',
      });
    });

    it('refuses a principal token signed with another secret, and an expired one', async () => {
      const claims = { tid: owner.tenantId, knd: 'user', uid: owner.userId, role: 'owner', plan: 'free', rid: 'x' };
      const sign = (secret: Uint8Array, iat: number) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('parley-gateway')
          .setAudience('parley-internal-principal')
          .setSubject(owner.userId)
          .setIssuedAt(iat)
          .setExpirationTime(iat + 60)
          .sign(secret);
      const now = Math.floor(Date.now() / 1000);
      const foreign = await sign(new Uint8Array(32).fill(7), now);
      const expired = await sign(developmentInternalAuthSecret(), now - 600);
      for (const token of [foreign, expired, 'not-a-token']) {
        const answer = await stack.call('/conversations', { base: chat(), headers: { 'x-parley-principal': token } });
        expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({
          status: 401,
          code: 'invalid_principal',
        });
      }
    });

    it('answers a principal token signed with the platform secret (the control case)', async () => {
      const headers = await internalPrincipalHeaders({
        tid: owner.tenantId,
        knd: 'user',
        uid: owner.userId,
        sid: randomUUID(),
        role: 'owner',
        plan: 'free',
        rid: 'edge-test',
      });
      expect((await stack.call('/conversations', { base: chat(), headers })).status).toBe(200);
    });
  });
});
