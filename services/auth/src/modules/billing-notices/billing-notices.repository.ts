import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { BILLING_ROLES, type BudgetScope } from '@parley/contracts';
import { DATA_SOURCE } from '@parley/tenancy';

export interface NoticeRecipient {
  email: string;
  name: string;
}

/** Who hears about a tenant's billing, and which notice mails went out. */
@Injectable()
export class BillingNoticesRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /** The tenant's name and its owners and members with the billing role (BILLING_ROLES). */
  async audience(tenantId: string): Promise<{ tenant: string; recipients: NoticeRecipient[] }> {
    const tenants: { name: string }[] = await this.db.query(`SELECT name FROM control.tenants WHERE id = $1`, [
      tenantId,
    ]);
    const recipients: NoticeRecipient[] = await this.db.query(
      `SELECT u.email, u.name FROM auth.memberships m JOIN auth.users u ON u.id = m.user_id
        WHERE m.tenant_id = $1 AND m.role = ANY($2::text[]) ORDER BY u.email`,
      [tenantId, [...BILLING_ROLES]],
    );
    return { tenant: tenants[0]?.name ?? 'your organisation', recipients };
  }

  /** What a budget names, as people know it: the member's name and address, the API key's name. */
  async subjectName(tenantId: string, scope: BudgetScope, subjectId: string | null): Promise<string | null> {
    if (scope === 'tenant' || subjectId === null) return null;
    const rows: { label: string }[] =
      scope === 'member'
        ? await this.db.query(
            `SELECT u.name || ' <' || u.email || '>' AS label FROM auth.memberships m JOIN auth.users u ON u.id = m.user_id
              WHERE m.tenant_id = $1 AND m.user_id::text = $2`,
            [tenantId, subjectId],
          )
        : await this.db.query(`SELECT name AS label FROM auth.api_keys WHERE tenant_id = $1 AND id::text = $2`, [
            tenantId,
            subjectId,
          ]);
    return rows[0]?.label ?? null;
  }

  /** Claims the mail of a notice to one address; false when it was already sent (or is being sent). */
  async claim(noticeId: string, email: string, tenantId: string, kind: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO auth.billing_notice_mails (notice_id, email, tenant_id, kind) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING notice_id`,
      [noticeId, email, tenantId, kind],
    );
    return rows.length === 1;
  }

  /** Gives a claim back after the mail could not be sent, so the redelivery sends it. */
  async release(noticeId: string, email: string): Promise<void> {
    await this.db.query(`DELETE FROM auth.billing_notice_mails WHERE notice_id = $1 AND email = $2`, [noticeId, email]);
  }
}
