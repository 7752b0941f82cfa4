import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { BILLING_ROLES, type BudgetScope } from '@parley/contracts';
import { DATA_SOURCE } from '@parley/tenancy';
import type { MailMessage } from '../mail/mail-message';

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

  /**
   * Claims the mail of a notice to one address, keeping the message for retries; false when it
   * was already claimed (sent, being sent, or queued).
   */
  async claim(claim: NoticeMailClaim, message: MailMessage): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO auth.billing_notice_mails (notice_id, email, tenant_id, kind, message) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING notice_id`,
      [claim.noticeId, claim.email, claim.tenantId, claim.kind, JSON.stringify(message)],
    );
    return rows.length === 1;
  }

  async markSent(noticeId: string, email: string): Promise<void> {
    await this.db.query(
      `UPDATE auth.billing_notice_mails SET status = 'sent', sent_at = now(), updated_at = now(), next_attempt_at = NULL
        WHERE notice_id = $1 AND email = $2`,
      [noticeId, email],
    );
  }

  /**
   * After a refusal: queued again after `retryMs` × 2^(attempts − 1) (at most an hour), or given up
   * once the mail is older than `giveUpAfterSeconds`. Returns the new status.
   */
  async markRefused(
    noticeId: string,
    email: string,
    error: string,
    retry: { retryMs: number; giveUpAfterSeconds: number },
  ): Promise<'pending' | 'failed'> {
    // TypeORM answers an UPDATE with [rows, count].
    const [rows]: [{ status: 'pending' | 'failed' }[], number] = await this.db.query(
      `UPDATE auth.billing_notice_mails
          SET status = CASE WHEN created_at < now() - make_interval(secs => $4) THEN 'failed' ELSE 'pending' END,
              next_attempt_at = now() + make_interval(secs => LEAST(3600, $3 / 1000.0 * 2 ^ (attempts - 1))),
              last_error = left($5, 500), updated_at = now()
        WHERE notice_id = $1 AND email = $2
      RETURNING status`,
      [noticeId, email, retry.retryMs, retry.giveUpAfterSeconds, error],
    );
    return rows[0]?.status ?? 'failed';
  }

  /**
   * Takes up to `limit` queued mails that are due (and any left `sending` for five minutes by a
   * replica that stopped mid-send), marking them `sending` with one more attempt, so that replicas
   * never take the same one.
   */
  async takeDue(limit: number): Promise<QueuedNoticeMail[]> {
    const [rows]: [QueuedNoticeMail[], number] = await this.db.query(
      `UPDATE auth.billing_notice_mails m SET status = 'sending', attempts = m.attempts + 1, updated_at = now()
        WHERE (m.notice_id, m.email) IN (
          SELECT notice_id, email FROM auth.billing_notice_mails
           WHERE (status = 'pending' AND next_attempt_at <= now())
              OR (status = 'sending' AND updated_at < now() - interval '5 minutes')
           ORDER BY next_attempt_at NULLS FIRST LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING m.notice_id AS "noticeId", m.email, m.tenant_id AS "tenantId", m.kind, m.message`,
      [limit],
    );
    return rows;
  }
}

export interface NoticeMailClaim {
  noticeId: string;
  email: string;
  tenantId: string;
  kind: string;
}

export interface QueuedNoticeMail extends NoticeMailClaim {
  message: MailMessage;
}
