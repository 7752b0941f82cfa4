import { Injectable } from '@nestjs/common';

/** A transaction: a TypeORM QueryRunner or EntityManager. */
interface Sql {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** What a sign-up id already stood for when a `tenant.create.v2` claimed it. */
export type SignupClaim = { kind: 'new' } | { kind: 'created'; tenantId: string } | { kind: 'abandoned' };

/**
 * `control.tenant_signups`: which sign-up created which tenant, and which sign-ups auth abandoned.
 * Both writes go through the primary key, so a creation and an abandonment of one sign-up
 * serialise on its row whatever order they arrive in.
 */
@Injectable()
export class TenantSignupsRepository {
  /** Records that `signupId` creates `tenantId`, unless the id was seen before (then: what it was). */
  async claim(tx: Sql, signupId: string, tenantId: string): Promise<SignupClaim> {
    const inserted = (await tx.query(
      `INSERT INTO control.tenant_signups (signup_id, tenant_id, status) VALUES ($1, $2, 'created')
       ON CONFLICT (signup_id) DO NOTHING RETURNING signup_id`,
      [signupId, tenantId],
    )) as unknown[];
    if (inserted.length > 0) return { kind: 'new' };
    const [row] = (await tx.query(
      `SELECT tenant_id, status FROM control.tenant_signups WHERE signup_id = $1 FOR UPDATE`,
      [signupId],
    )) as { tenant_id: string | null; status: 'created' | 'abandoned' }[];
    if (row?.status === 'created' && row.tenant_id) return { kind: 'created', tenantId: row.tenant_id };
    return { kind: 'abandoned' };
  }

  /**
   * Marks the sign-up abandoned (remembered even if its command has not arrived yet) and returns
   * the tenant it had created, if any. Waits for a concurrent creation of the same sign-up to end.
   */
  async abandon(tx: Sql, signupId: string): Promise<{ tenantId: string | null; wasCreated: boolean }> {
    const [before] = (await tx.query(
      `INSERT INTO control.tenant_signups (signup_id, status) VALUES ($1, 'abandoned')
       ON CONFLICT (signup_id) DO UPDATE SET updated_at = now()
       RETURNING tenant_id, status`,
      [signupId],
    )) as { tenant_id: string | null; status: 'created' | 'abandoned' }[];
    await tx.query(`UPDATE control.tenant_signups SET status = 'abandoned', updated_at = now() WHERE signup_id = $1`, [
      signupId,
    ]);
    return { tenantId: before?.tenant_id ?? null, wasCreated: before?.status === 'created' };
  }
}
