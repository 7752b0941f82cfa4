import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@parley/testing';
import { AuthStack, type Session } from '../../testing/auth-stack';

describe('auth API keys: shown once, stored hashed, verified for the gateway, revoked at once', () => {
  let stack: AuthStack;
  let owner: Session;

  const create = async (session: Session, body: Record<string, unknown> = {}) =>
    stack.post('/auth/api-keys', { name: 'ci', scopes: ['chat:write'], ...body }, session.accessToken);
  const verify = (key: string, base?: string) =>
    stack.send('POST', '/internal/api-keys/verify', { body: JSON.stringify({ key }), base });
  const revokeAll = async (tenantId: string) =>
    stack.pg.query(`UPDATE auth.api_keys SET revoked_at = now() WHERE tenant_id = $1`, [tenantId]);

  beforeAll(async () => {
    stack = await AuthStack.start();
    owner = await stack.signUp();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('creates a key shown once, verifies it, and after revocation answers 401 at once, on every replica', async () => {
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const created = await create(owner, { name: 'Deploy bot', scopes: ['chat:write', 'stt:write'], expiresAt });
    expect(created.status).toBe(201);
    const { key, id, prefix } = created.body;
    expect(key).toMatch(/^pk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(`pk_${prefix}_`)).toBe(true);
    expect(created.body).toMatchObject({ name: 'Deploy bot', scopes: ['chat:write', 'stt:write'], expiresAt });

    const ok = await verify(key);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      keyId: id,
      tenantId: owner.tenant.id,
      scopes: ['chat:write', 'stt:write'],
      plan: 'free',
      expiresAt,
    });

    const replica = await stack.replica();
    expect((await verify(key, replica)).status).toBe(200);
    const revoked = await stack.delete(`/auth/api-keys/${id}`, owner.accessToken);
    expect(revoked.status).toBe(204);
    for (const base of [stack.base, replica]) {
      const after = await verify(key, base);
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('invalid_api_key');
    }
    expect((await stack.delete(`/auth/api-keys/${id}`, owner.accessToken)).status).toBe(204); // idempotent
    expect((await stack.get('/auth/api-keys', owner.accessToken)).body.apiKeys).toEqual([]);
  });

  it('lists keys without secrets; the database holds the prefix and sha256, never the key', async () => {
    const { key, id } = (await create(owner)).body;
    const list = await stack.get('/auth/api-keys', owner.accessToken);
    expect(list.status).toBe(200);
    expect(list.body.apiKeys).toEqual([
      {
        id,
        name: 'ci',
        prefix: key.slice(3, 11),
        scopes: ['chat:write'],
        createdBy: owner.user.id,
        createdAt: expect.any(String),
        expiresAt: null,
        lastUsedAt: null,
      },
    ]);
    const secret = key.slice(12);
    expect(JSON.stringify(list.body)).not.toContain(secret);

    const row = (await stack.pg.query(`SELECT * FROM auth.api_keys WHERE id = $1`, [id])).rows[0];
    expect(row.secret_hash.equals(createHash('sha256').update(key).digest())).toBe(true);
    const stored = JSON.stringify(row, (_, v) => (v?.type === 'Buffer' ? Buffer.from(v.data).toString() : v));
    expect(stored).not.toContain(secret);
    await revokeAll(owner.tenant.id);
  });

  it('answers 401 invalid_api_key alike for a wrong secret with a real prefix, an unknown key and an expired key', async () => {
    const { key, id } = (await create(owner)).body;
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    const cases = [key.slice(0, -1) + last, `pk_zzzzzzzz_${'A'.repeat(43)}`, 'pk_short', 'Bearer something', `${key}x`];
    for (const candidate of cases) {
      const res = await verify(candidate);
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'invalid_api_key', message: 'API key is not valid' });
    }
    expect((await verify(key)).status).toBe(200);
    await stack.pg.query(`UPDATE auth.api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    const expired = await verify(key);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('invalid_api_key');
    await revokeAll(owner.tenant.id);
  });

  it('records use at most once a minute', async () => {
    const { key, id } = (await create(owner)).body;
    const lastUsed = async (): Promise<Date | undefined> =>
      (await stack.pg.query(`SELECT last_used_at FROM auth.api_keys WHERE id = $1`, [id])).rows[0].last_used_at ??
      undefined;
    await verify(key);
    const first = await waitFor(lastUsed, { what: 'last_used_at' });
    await verify(key);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await lastUsed()).toEqual(first); // within the minute: not written again

    await stack.pg.query(`UPDATE auth.api_keys SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [id]);
    await verify(key);
    const second = await waitFor(
      async () => {
        const at = await lastUsed();
        return at && at.getTime() > first.getTime() ? at : undefined;
      },
      { what: 'a newer last_used_at' },
    );
    expect(second.getTime()).toBeGreaterThan(Date.now() - 60_000);
    await revokeAll(owner.tenant.id);
  });

  it('stops at the plan limit of active keys (409 api_key_limit_reached); revoked and expired keys do not count', async () => {
    const tenant = await stack.signUp(); // free plan: 2 keys
    const a = await create(tenant);
    const b = await create(tenant);
    expect([a.status, b.status]).toEqual([201, 201]);
    const third = await create(tenant);
    expect(third.status).toBe(409);
    expect(third.body.error).toMatchObject({ code: 'api_key_limit_reached', details: { limit: 2 } });
    expect((await stack.delete(`/auth/api-keys/${a.body.id}`, tenant.accessToken)).status).toBe(204);
    expect((await create(tenant)).status).toBe(201);
    await stack.pg.query(`UPDATE auth.api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      b.body.id,
    ]);
    expect((await create(tenant)).status).toBe(201);
    const counts = await Promise.all([create(tenant), create(tenant)]);
    expect(counts.map((r) => r.status)).toEqual([409, 409]);
  });

  it('keeps keys to owners and admins: a member or billing user gets 403 forbidden and creates nothing', async () => {
    const tenant = await stack.signUp();
    const plain = await stack.join(tenant, 'member');
    const billing = await stack.join(tenant, 'billing');
    for (const session of [plain, billing]) {
      const res = await create(session);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect((await stack.get('/auth/api-keys', session.accessToken)).status).toBe(403);
    }
    const { id } = (await create(tenant)).body;
    expect((await stack.delete(`/auth/api-keys/${id}`, plain.accessToken)).status).toBe(403);
    const rows = await stack.pg.query(`SELECT revoked_at FROM auth.api_keys WHERE tenant_id = $1`, [tenant.tenant.id]);
    expect(rows.rows).toEqual([{ revoked_at: null }]);
  });

  it.each([
    ['no scopes', { name: 'x', scopes: [] }],
    ['a malformed scope', { name: 'x', scopes: ['Chat Write'] }],
    ['a scope outside the vocabulary (a typo grants nothing)', { name: 'x', scopes: ['chat:writ'] }],
    ['an empty name', { name: '   ', scopes: ['chat:write'] }],
    ['a past expiry', { name: 'x', scopes: ['chat:write'], expiresAt: '2001-01-01T00:00:00Z' }],
    ['an expiry without a time zone', { name: 'x', scopes: ['chat:write'], expiresAt: '2099-01-01T00:00:00' }],
    ['a date that is not one', { name: 'x', scopes: ['chat:write'], expiresAt: 'tomorrow' }],
    ['an unknown field', { name: 'x', scopes: ['chat:write'], tenantId: '00000000-0000-4000-8000-000000000000' }],
    ['scopes that are not strings', { name: 'x', scopes: [1, 2] }],
  ])('refuses %s with 400 validation_failed', async (_, body) => {
    const res = await stack.post('/auth/api-keys', body, owner.accessToken);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('answers bad verification and revocation input with 4xx, never 500', async () => {
    expect((await stack.post('/internal/api-keys/verify', {})).status).toBe(400);
    expect((await stack.post('/internal/api-keys/verify', { key: 42 })).status).toBe(400);
    expect((await stack.post('/internal/api-keys/verify', '{"key":')).status).toBe(400);
    expect((await stack.delete('/auth/api-keys/not-a-uuid', owner.accessToken)).status).toBe(400);
    const unknown = await stack.delete('/auth/api-keys/00000000-0000-4000-8000-000000000000', owner.accessToken);
    expect(unknown.status).toBe(404);
    expect((await stack.post('/auth/api-keys', { name: 'x', scopes: ['a'] })).status).toBe(401);
  });
});
