import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueSuffix } from '@parley/testing';
import { AuthStack, type HttpResult, type Session } from '../../testing/auth-stack';

const SCIM_JSON = { 'content-type': 'application/scim+json' };

/**
 * The plan's seat limit under concurrency: directory sync (SCIM) creating members in parallel
 * through two auth replicas, for two tenants at once. Exactly the seats left are filled; every
 * other request is 409 seat_limit_reached, and no tenant ends above its plan's members.
 */
describe('seat limit with two auth replicas and parallel member creation', () => {
  let stack: AuthStack;
  let replica: string | undefined;
  /** The second auth replica, started once (after the sign-ups it does not take part in). */
  const secondReplica = async (): Promise<string> => (replica ??= await stack.replica());
  let limit: number;

  beforeAll(async () => {
    stack = await AuthStack.start();
    limit = (await stack.pg.query(`SELECT (limits->>'members')::int AS n FROM control.plans WHERE id = 'free'`)).rows[0]
      .n as number;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function scimToken(owner: Session): Promise<string> {
    const issued = await stack.post('/auth/scim/token', {}, owner.accessToken);
    expect(issued.status).toBe(201);
    return issued.body.token as string;
  }

  const createUser = (token: string, base: string): Promise<HttpResult> => {
    const email = `seat-${uniqueSuffix()}@acme.test`;
    return stack.send('POST', '/scim/v2/Users', {
      base,
      token,
      headers: SCIM_JSON,
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: email,
        name: { givenName: 'Sam', familyName: 'Seat' },
        emails: [{ primary: true, value: email, type: 'work' }],
        active: true,
      }),
    });
  };

  const members = async (tenantId: string): Promise<number> =>
    Number(
      (await stack.pg.query(`SELECT count(*) AS n FROM auth.memberships WHERE tenant_id = $1`, [tenantId])).rows[0].n,
    );

  it('fills exactly the seats left, for each of two tenants, with 12 parallel creations each over two replicas', async () => {
    const a = await stack.signUp();
    const b = await stack.signUp();
    const [tokenA, tokenB] = [await scimToken(a), await scimToken(b)];
    const bases = [stack.base, await secondReplica()];
    const burst = (token: string) => Array.from({ length: 12 }, (_, i) => createUser(token, bases[i % 2] as string));
    const [resultsA, resultsB] = await Promise.all([Promise.all(burst(tokenA)), Promise.all(burst(tokenB))]);

    for (const [tenant, results] of [
      [a, resultsA],
      [b, resultsB],
    ] as const) {
      const statuses = results.map((r) => r.status).sort();
      // The owner holds one seat: limit - 1 creations succeed, the rest are refused.
      expect(statuses).toEqual([...Array(limit - 1).fill(201), ...Array(12 - (limit - 1)).fill(409)]);
      for (const refused of results.filter((r) => r.status === 409)) {
        expect(refused.body).toMatchObject({ status: '409', error: { code: 'seat_limit_reached' } });
      }
      expect(await members(tenant.tenant.id)).toBe(limit);
    }
  });

  it('invitations in parallel over two replicas: seats are members plus open invites, never more (409 member_limit_reached)', async () => {
    const owner = await stack.signUp();
    const bases = [stack.base, await secondReplica()];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        stack.send('POST', '/auth/invites', {
          base: bases[i % 2],
          token: owner.accessToken,
          body: JSON.stringify({ email: `invitee-${uniqueSuffix()}@acme.test`, role: 'member' }),
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(limit - 1).fill(201), ...Array(10 - (limit - 1)).fill(409)]);
    for (const refused of results.filter((r) => r.status === 409)) {
      expect(refused.body.error).toMatchObject({ code: 'member_limit_reached' });
    }
    const open = await stack.pg.query(
      `SELECT count(*) AS n FROM auth.invites WHERE tenant_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL`,
      [owner.tenant.id],
    );
    expect(Number(open.rows[0].n)).toBe(limit - 1);
  });
});
