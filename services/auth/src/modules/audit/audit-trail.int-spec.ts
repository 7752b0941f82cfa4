import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditActionRecordedV1Schema, AuditActionRecordedV1, AuthSignedInV1, AuthSignedUpV1 } from '@parley/contracts';
import { AuthStack, type Session } from '../../testing/auth-stack';

interface Fact {
  action: string;
  actor: { kind: string; id: string | null };
  target: { type: string; id: string | null };
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

/**
 * Admin actions in auth write `audit.action-recorded.v1` in their own transaction (the outbox),
 * with who, what, target, address, user agent and request id, for the analytics audit log.
 */
describe('auth records admin actions for the audit log', () => {
  let stack: AuthStack;
  let owner: Session;

  const facts = async (tenantId: string): Promise<Fact[]> => {
    const rows = await stack.pg.query<{ value: Fact & { tenantId: string } }>(
      `SELECT value FROM control.outbox WHERE topic = $1 AND value->>'tenantId' = $2 ORDER BY created_at, id`,
      [AuditActionRecordedV1.name, tenantId],
    );
    for (const r of rows.rows) expect(auditActionRecordedV1Schema.safeParse(r.value).success).toBe(true);
    return rows.rows.map((r) => r.value);
  };
  const agent = { 'user-agent': 'AuditTest/1.0 (console)' };

  beforeAll(async () => {
    stack = await AuthStack.start();
    owner = await stack.signUp();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('records invites, joins, role changes, removals and API keys with actor, target, address and user agent', async () => {
    const member = await stack.join(owner, 'member');
    const role = await stack.send('PATCH', `/auth/members/${member.user.id}`, {
      body: JSON.stringify({ role: 'admin' }),
      token: owner.accessToken,
      headers: agent,
    });
    expect(role.status).toBe(200);
    const key = await stack.send('POST', '/auth/api-keys', {
      body: JSON.stringify({ name: 'ci', scopes: ['chat:write'] }),
      token: owner.accessToken,
      headers: agent,
    });
    expect(key.status).toBe(201);
    expect((await stack.delete(`/auth/api-keys/${key.body.id}`, owner.accessToken)).status).toBe(204);
    expect((await stack.delete(`/auth/api-keys/${key.body.id}`, owner.accessToken)).status).toBe(204); // again: nothing new
    const invite = await stack.post('/auth/invites', { email: 'later@example.com', role: 'member' }, owner.accessToken);
    expect((await stack.delete(`/auth/invites/${invite.body.id}`, owner.accessToken)).status).toBe(204);
    expect((await stack.delete(`/auth/members/${member.user.id}`, owner.accessToken)).status).toBe(204);

    const got = await facts(owner.tenant.id);
    const by = { kind: 'user', id: owner.user.id };
    expect(got.map((f) => [f.action, f.actor, f.target.type, f.details])).toEqual([
      ['invite.created', by, 'invite', { role: 'member' }],
      [
        'member.added',
        { kind: 'user', id: member.user.id },
        'member',
        expect.objectContaining({ role: 'member', via: 'invite' }),
      ],
      ['member.role-changed', by, 'member', { from: 'member', to: 'admin' }],
      ['api-key.created', by, 'api-key', { name: 'ci', scopes: 'chat:write' }],
      ['api-key.revoked', by, 'api-key', {}],
      ['invite.created', by, 'invite', { role: 'member' }],
      ['invite.revoked', by, 'invite', {}],
      ['member.removed', by, 'member', { role: 'admin' }],
    ]);
    const change = got[2]!;
    expect(change).toMatchObject({
      target: { type: 'member', id: member.user.id },
      ip: stack.clientIp,
      userAgent: 'AuditTest/1.0 (console)',
    });
    expect(change.requestId).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(got[3]?.target.id).toBe(key.body.id);
  });

  it('records an admin signing a member out everywhere, once, with the sessions it ended', async () => {
    const member = await stack.join(owner, 'member');
    const before = (await facts(owner.tenant.id)).length;
    const res = await stack.send('POST', `/auth/members/${member.user.id}/sign-out`, {
      token: owner.accessToken,
      headers: agent,
    });
    expect(res.status).toBe(204);
    const got = (await facts(owner.tenant.id)).slice(before);
    expect(got.map((f) => [f.action, f.actor, f.target, f.details, f.userAgent])).toEqual([
      [
        'member.signed-out',
        { kind: 'user', id: owner.user.id },
        { type: 'member', id: member.user.id },
        { sessions: 1 },
        'AuditTest/1.0 (console)',
      ],
    ]);
  });

  it('a member cannot change a role, and a refused action records nothing', async () => {
    const member = await stack.join(owner, 'member');
    const before = (await facts(owner.tenant.id)).length;
    const res = await stack.patch(`/auth/members/${owner.user.id}`, { role: 'member' }, member.accessToken);
    expect(res.status).toBe(403);
    const after = await facts(owner.tenant.id);
    expect(after.slice(before).map((f) => f.action)).toEqual([]);
  });

  it("another tenant's actions are never recorded under this tenant", async () => {
    const other = await stack.signUp();
    await stack.post('/auth/api-keys', { name: 'theirs', scopes: ['chat:write'] }, other.accessToken);
    expect((await facts(owner.tenant.id)).some((f) => f.details.name === 'theirs')).toBe(false);
    expect((await facts(other.tenant.id)).map((f) => f.action)).toEqual(['api-key.created']);
  });

  it('sign-up and every sign-in announce auth.signed-up.v1 and auth.signed-in.v1 (the session opened)', async () => {
    const org = await stack.signUp();
    const again = await stack.post('/auth/sign-in', {
      email: org.user.email,
      password: 'correct horse battery staple',
    });
    expect(again.status).toBe(200);
    const rows = await stack.pg.query<{ topic: string; value: { userId: string; sessionId?: string } }>(
      `SELECT topic, value FROM control.outbox WHERE topic = ANY($1) AND value->>'tenantId' = $2 ORDER BY created_at, id`,
      [[AuthSignedInV1.name, AuthSignedUpV1.name], org.tenant.id],
    );
    // Sign-up's two rows share its transaction's timestamp: compared as a set.
    expect(rows.rows.map((r) => `${r.topic} ${r.value.userId}`).sort()).toEqual(
      [
        `${AuthSignedInV1.name} ${org.user.id}`,
        `${AuthSignedInV1.name} ${org.user.id}`,
        `${AuthSignedUpV1.name} ${org.user.id}`,
      ].sort(),
    );
    const sessions = rows.rows.filter((r) => r.topic === AuthSignedInV1.name).map((r) => r.value.sessionId);
    expect(new Set(sessions).size).toBe(2);
  });
});
