import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokedSessionKey } from '@parley/contracts';
import { uniqueSuffix } from '@parley/testing';
import { AuthStack, JOINER_PASSWORD, type HttpResult, type Session } from '../../testing/auth-stack';

const SCIM_JSON = { 'content-type': 'application/scim+json' };

/**
 * SCIM 2.0 directory sync through the auth service, with the request shapes Okta and Entra send:
 * provisioning, groups driving roles, deactivation revoking sessions at once, tenant isolation.
 */
describe('SCIM 2.0 directory sync', () => {
  let stack: AuthStack;
  let owner: Session;
  let token: string;
  let redis: Redis;

  const scim = (method: string, path: string, body?: unknown, bearer = token): Promise<HttpResult> =>
    stack.send(method, `/scim/v2${path}`, {
      body: body === undefined ? undefined : JSON.stringify(body),
      token: bearer,
      headers: SCIM_JSON,
    });
  const oktaUser = (email: string, extra: Record<string, unknown> = {}) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: email,
    name: { givenName: 'Ann', familyName: 'Lee' },
    emails: [{ primary: true, value: email, type: 'work' }],
    displayName: 'Ann Lee',
    active: true,
    ...extra,
  });
  const roleOf = async (userId: string, session = owner) =>
    ((await stack.get('/auth/members', session.accessToken)).body.members as { userId: string; role: string }[]).find(
      (m) => m.userId === userId,
    )?.role;
  const newEmail = () => `scim-${uniqueSuffix()}@acme.test`;

  beforeAll(async () => {
    stack = await AuthStack.start();
    owner = await stack.signUp();
    await stack.pg.query(`UPDATE control.tenants SET plan_id = 'pro' WHERE id = $1`, [owner.tenant.id]);
    const issued = await stack.post('/auth/scim/token', {}, owner.accessToken);
    expect(issued.status).toBe(201);
    token = issued.body.token;
    redis = new Redis(stack.config.redis.url, { lazyConnect: true });
    await redis.connect();
  });

  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
  });

  it('issues the token once; the settings show only its hint and the base URL', async () => {
    expect(token).toMatch(/^pscim_[\w-]{43}$/);
    const settings = await stack.get('/auth/scim', owner.accessToken);
    expect(settings.body).toMatchObject({
      enabled: true,
      baseUrl: 'http://app.test/scim/v2',
      tokenHint: `${token.slice(0, 10)}…`,
      defaultRole: 'member',
      groupRoles: [],
    });
    expect(JSON.stringify(settings.body)).not.toContain(token.slice(10));
  });

  it('provisions an Okta user (filter first, then POST with application/scim+json) as a member', async () => {
    const email = newEmail();
    const lookup = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}&startIndex=1&count=100`,
    );
    expect(lookup.status).toBe(200);
    expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });

    const created = await scim('POST', '/Users', oktaUser(email));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: expect.any(String),
      userName: email,
      active: true,
      emails: [{ value: email, primary: true }],
      meta: { resourceType: 'User', location: `http://app.test/scim/v2/Users/${created.body.id}` },
    });
    const found = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${email.toUpperCase()}"`)}`);
    expect(found.body.totalResults).toBe(1);
    const members = (await stack.get('/auth/members', owner.accessToken)).body.members as {
      email: string;
      role: string;
    }[];
    expect(members.find((m) => m.email === email)?.role).toBe('member');

    const again = await scim('POST', '/Users', oktaUser(email));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType: 'uniqueness',
      error: { code: 'conflict' },
    });
  });

  it('group membership drives roles (Entra-shaped PATCH "Add"/"Remove")', async () => {
    expect(
      (
        await stack.send('PUT', '/auth/scim/settings', {
          body: JSON.stringify({ defaultRole: 'member', groupRoles: [{ group: 'Parley Admins', role: 'admin' }] }),
          token: owner.accessToken,
        })
      ).status,
    ).toBe(200);
    const user = (await scim('POST', '/Users', oktaUser(newEmail()))).body;
    const userId = (await stack.pg.query(`SELECT user_id FROM auth.scim_users WHERE id = $1`, [user.id])).rows[0]
      .user_id;
    const group = await scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Parley Admins',
      members: [],
    });
    expect(group.status).toBe(201);
    const add = await scim('PATCH', `/Groups/${group.body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: user.id }] }],
    });
    expect(add.status).toBe(200);
    expect(add.body.members).toEqual([expect.objectContaining({ value: user.id })]);
    expect(await roleOf(userId)).toBe('admin');
    expect((await scim('GET', `/Users/${user.id}`)).body.groups).toEqual([
      expect.objectContaining({ value: group.body.id, display: 'Parley Admins' }),
    ]);

    const remove = await scim('PATCH', `/Groups/${group.body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Remove', path: `members[value eq "${user.id}"]` }],
    });
    expect(remove.status).toBe(200);
    expect(await roleOf(userId)).toBe('member');
    const withoutMembers = await scim('GET', `/Groups/${group.body.id}?excludedAttributes=members`);
    expect(withoutMembers.body.members).toBeUndefined();
  });

  it('deactivation (Entra: Replace active "False") removes access at once; reactivation restores it', async () => {
    const person = await stack.join(owner, 'member');
    const linked = await scim('POST', '/Users', oktaUser(person.user.email));
    expect(linked.status).toBe(201);
    const signedIn = await stack.post('/auth/sign-in', { email: person.user.email, password: JOINER_PASSWORD });
    expect(signedIn.status).toBe(200);
    const sid = JSON.parse(Buffer.from(signedIn.body.accessToken.split('.')[1], 'base64url').toString()).sid as string;

    const off = await scim('PATCH', `/Users/${linked.body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect(await redis.exists(revokedSessionKey(owner.tenant.id, sid))).toBe(1);
    const refresh = await stack.post('/auth/refresh', { refreshToken: signedIn.body.refreshToken });
    expect(refresh.status).toBe(401);
    expect(await roleOf(person.user.id)).toBeUndefined();
    expect(
      (await stack.post('/auth/sign-in', { email: person.user.email, password: JOINER_PASSWORD })).status,
    ).not.toBe(200);

    const on = await scim('PATCH', `/Users/${linked.body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    expect(on.body.active).toBe(true);
    expect(await roleOf(person.user.id)).toBe('member');
  });

  it('DELETE removes the membership; the user is gone from SCIM', async () => {
    const user = (await scim('POST', '/Users', oktaUser(newEmail()))).body;
    expect((await scim('DELETE', `/Users/${user.id}`)).status).toBe(204);
    expect((await scim('GET', `/Users/${user.id}`)).status).toBe(404);
    const members = (await stack.get('/auth/members', owner.accessToken)).body.members as { email: string }[];
    expect(members.map((m) => m.email)).not.toContain(user.userName);
  });

  it('records what the directory did to memberships for the audit log (by the platform, via scim)', async () => {
    const email = newEmail();
    const user = (await scim('POST', '/Users', oktaUser(email))).body;
    const members = (await stack.get('/auth/members', owner.accessToken)).body.members as {
      email: string;
      userId: string;
    }[];
    const userId = members.find((m) => m.email === email)?.userId;
    expect(userId).toBeDefined();
    expect((await scim('DELETE', `/Users/${user.id}`)).status).toBe(204);
    const rows = await stack.pg.query<{ value: { action: string; actor: unknown; details: unknown } }>(
      `SELECT value FROM control.outbox WHERE topic = 'audit.action-recorded.v1' AND value->>'tenantId' = $1
         AND value->'target'->>'id' = $2 ORDER BY created_at, id`,
      [owner.tenant.id, userId],
    );
    expect(rows.rows.map((r) => [r.value.action, r.value.actor, r.value.details])).toEqual([
      ['member.added', { kind: 'system', id: null }, { role: 'member', via: 'scim' }],
      ['member.removed', { kind: 'system', id: null }, { role: 'member', via: 'scim' }],
    ]);
  });

  it('answers bad input with SCIM errors, never a 500', async () => {
    const badFilter = await scim('GET', `/Users?filter=${encodeURIComponent('userName sw "a"')}`);
    expect({ status: badFilter.status, scimType: badFilter.body.scimType }).toEqual({
      status: 400,
      scimType: 'invalidFilter',
    });
    const noUserName = await scim('POST', '/Users', { schemas: [], emails: [] });
    expect({ status: noUserName.status, scimType: noUserName.body.scimType }).toEqual({
      status: 400,
      scimType: 'invalidValue',
    });
    const user = (await scim('POST', '/Users', oktaUser(newEmail()))).body;
    const badPath = await scim('PATCH', `/Users/${user.id}`, {
      Operations: [{ op: 'replace', path: 'members[x', value: 1 }],
    });
    expect({ status: badPath.status, scimType: badPath.body.scimType }).toEqual({
      status: 400,
      scimType: 'invalidPath',
    });
    const unknownMember = await scim('POST', '/Groups', {
      displayName: `g-${uniqueSuffix()}`,
      members: [{ value: 'nope' }],
    });
    expect({ status: unknownMember.status, scimType: unknownMember.body.scimType }).toEqual({
      status: 400,
      scimType: 'invalidValue',
    });
    expect((await scim('GET', '/Users/not-a-uuid')).status).toBe(404);
    const tooMany = await scim('PATCH', `/Users/${user.id}`, {
      Operations: Array.from({ length: 101 }, () => ({ op: 'add', path: 'x' })),
    });
    expect(tooMany.status).toBe(400);
  });

  it('refuses a user past the plan’s seats with 409 seat_limit_reached, in SCIM’s error shape', async () => {
    const small = await stack.signUp();
    const issued = await stack.post('/auth/scim/token', {}, small.accessToken);
    const smallToken = issued.body.token as string;
    const limit = (
      await stack.pg.query(`SELECT (p.limits->>'members')::int AS n FROM control.plans p WHERE p.id = 'free'`)
    ).rows[0].n as number;
    for (let i = 1; i < limit; i++) {
      expect((await scim('POST', '/Users', oktaUser(newEmail()), smallToken)).status).toBe(201);
    }
    const over = await scim('POST', '/Users', oktaUser(newEmail()), smallToken);
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ status: '409', error: { code: 'seat_limit_reached' } });
  });

  it('refuses a missing, malformed or rotated token (401) and serves discovery to a valid one', async () => {
    for (const bearer of ['', 'pscim_short', `pscim_${'A'.repeat(43)}`]) {
      const res = await scim('GET', '/Users', undefined, bearer);
      expect({ bearer, status: res.status, schema: res.body.schemas?.[0] }).toEqual({
        bearer,
        status: 401,
        schema: 'urn:ietf:params:scim:api:messages:2.0:Error',
      });
    }
    expect((await scim('GET', '/ServiceProviderConfig')).body.patch).toEqual({ supported: true });
    const other = await stack.signUp();
    const theirToken = (await stack.post('/auth/scim/token', {}, other.accessToken)).body.token as string;
    const rotated = (await stack.post('/auth/scim/token', {}, other.accessToken)).body.token as string;
    expect((await scim('GET', '/Users', undefined, theirToken)).status).toBe(401);
    expect((await scim('GET', '/Users', undefined, rotated)).status).toBe(200);
  });

  it('another tenant’s directory cannot see, change or remove this tenant’s users and groups', async () => {
    const mine = (await scim('POST', '/Users', oktaUser(newEmail()))).body;
    const myGroup = (await scim('POST', '/Groups', { displayName: `mine-${uniqueSuffix()}` })).body;
    const other = await stack.signUp();
    const theirs = (await stack.post('/auth/scim/token', {}, other.accessToken)).body.token as string;
    expect((await scim('GET', '/Users', undefined, theirs)).body.totalResults).toBe(0);
    for (const [method, path, body] of [
      ['GET', `/Users/${mine.id}`, undefined],
      ['PATCH', `/Users/${mine.id}`, { Operations: [{ op: 'replace', path: 'active', value: false }] }],
      ['DELETE', `/Users/${mine.id}`, undefined],
      ['GET', `/Groups/${myGroup.id}`, undefined],
      ['DELETE', `/Groups/${myGroup.id}`, undefined],
    ] as const) {
      expect({ method, path, status: (await scim(method, path, body, theirs)).status }).toEqual({
        method,
        path,
        status: 404,
      });
    }
    const theirGroup = await scim('POST', '/Groups', { displayName: 'x', members: [{ value: mine.id }] }, theirs);
    expect(theirGroup.status).toBe(400);
    expect((await scim('GET', `/Users/${mine.id}`)).body.active).toBe(true);
  });

  it('a member cannot issue a token, read or change the settings, or turn sync off (403)', async () => {
    const member = await stack.join(owner, 'member');
    for (const res of [
      await stack.post('/auth/scim/token', {}, member.accessToken),
      await stack.get('/auth/scim', member.accessToken),
      await stack.send('PUT', '/auth/scim/settings', {
        body: JSON.stringify({ defaultRole: 'admin', groupRoles: [] }),
        token: member.accessToken,
      }),
      await stack.delete('/auth/scim', member.accessToken),
    ]) {
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 403, code: 'forbidden' });
    }
    expect((await scim('GET', '/Users')).status).toBe(200);
  });
});
