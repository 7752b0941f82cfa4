import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { DomainView } from '@parley/contracts';
import { DATA_SOURCE } from '@parley/tenancy';

export type { DomainView };
import { modify } from '../../common/sql';
import { challengeRecordName, challengeRecordValue } from './domain-name';

interface Row {
  id: string;
  domain: string;
  challenge: string;
  created_at: Date;
  verified_at: Date | null;
  verified_by: 'dns' | 'mail' | null;
  mail_sent_to: string | null;
  mail_expires_at: Date | null;
}

const COLUMNS = 'id, domain, challenge, created_at, verified_at, verified_by, mail_sent_to, mail_expires_at';

function toView(row: Row): DomainView {
  return {
    id: row.id,
    domain: row.domain,
    status: row.verified_at ? 'verified' : 'pending',
    verifiedBy: row.verified_by,
    verifiedAt: row.verified_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    txtRecord: { name: challengeRecordName(row.domain), value: challengeRecordValue(row.challenge) },
    mail:
      row.mail_sent_to && row.mail_expires_at
        ? { sentTo: row.mail_sent_to, expiresAt: row.mail_expires_at.toISOString() }
        : null,
  };
}

/** Postgres' unique_violation. */
const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? error;
  const { code, constraint: name } = driverError as { code?: string; constraint?: string };
  return code === UNIQUE_VIOLATION && name === constraint;
}

/** `auth.tenant_domains`: every query names the tenant, so one tenant never reaches another's claim. */
@Injectable()
export class DomainsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async list(tenantId: string): Promise<DomainView[]> {
    const rows = await this.dataSource.query<Row[]>(
      `SELECT ${COLUMNS} FROM auth.tenant_domains WHERE tenant_id = $1 ORDER BY domain`,
      [tenantId],
    );
    return rows.map(toView);
  }

  /** The claim and its TXT challenge. */
  async find(tenantId: string, id: string): Promise<{ view: DomainView; challenge: string } | null> {
    const rows = await this.dataSource.query<Row[]>(
      `SELECT ${COLUMNS} FROM auth.tenant_domains WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return rows[0] ? { view: toView(rows[0]), challenge: rows[0].challenge } : null;
  }

  async count(tenantId: string): Promise<number> {
    const rows = await this.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM auth.tenant_domains WHERE tenant_id = $1`,
      [tenantId],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Seconds since the claim's last verification mail, or null when none was sent. */
  async secondsSinceMail(tenantId: string, id: string): Promise<number | null> {
    const rows = await this.dataSource.query<{ s: number | null }[]>(
      `SELECT extract(epoch FROM now() - mail_sent_at)::float8 AS s FROM auth.tenant_domains
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return rows[0]?.s ?? null;
  }

  /** Names for the mail: the tenant's and the requester's. */
  async mailContext(tenantId: string, userId: string): Promise<{ tenant: string; requester: string }> {
    const rows = await this.dataSource.query<{ tenant: string; requester: string }[]>(
      `SELECT t.name AS tenant, u.name AS requester FROM control.tenants t, auth.users u WHERE t.id = $1 AND u.id = $2`,
      [tenantId, userId],
    );
    return rows[0] ?? { tenant: 'Parley', requester: 'An administrator' };
  }

  /** Whether another tenant holds the domain verified. */
  async verifiedElsewhere(tenantId: string, domain: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM auth.tenant_domains WHERE domain = $1 AND verified_at IS NOT NULL AND tenant_id <> $2`,
      [domain, tenantId],
    );
    return rows.length > 0;
  }

  /** The tenant holding the domain verified, if any. */
  async holderOf(domain: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ tenant_id: string }[]>(
      `SELECT tenant_id FROM auth.tenant_domains WHERE domain = $1 AND verified_at IS NOT NULL`,
      [domain],
    );
    return rows[0]?.tenant_id ?? null;
  }

  /** Claims the domain for the tenant; the existing claim when it already made one. */
  async claim(
    row: { id: string; tenantId: string; domain: string; challenge: string; createdBy: string },
    runner: DataSource | EntityManager = this.dataSource,
  ) {
    const rows = await runner.query<Row[]>(
      `INSERT INTO auth.tenant_domains (id, tenant_id, domain, challenge, created_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, domain) DO UPDATE SET domain = EXCLUDED.domain
       RETURNING ${COLUMNS}, (xmax = 0) AS created`,
      [row.id, row.tenantId, row.domain, row.challenge, row.createdBy],
    );
    const created = (rows[0] as Row & { created: boolean }).created;
    return { view: toView(rows[0] as Row), created };
  }

  /**
   * Marks the claim verified; false when another tenant verified the domain first (the unique
   * index decides between two tenants racing).
   */
  async markVerified(
    tenantId: string,
    id: string,
    by: 'dns' | 'mail',
    runner: DataSource | EntityManager = this.dataSource,
  ): Promise<boolean> {
    try {
      await modify(
        runner,
        `UPDATE auth.tenant_domains
            SET verified_at = COALESCE(verified_at, now()), verified_by = COALESCE(verified_by, $3),
                mail_token_hash = NULL
          WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id, by],
      );
      return true;
    } catch (error) {
      if (isUniqueViolation(error, 'tenant_domains_verified_uq')) return false;
      throw error;
    }
  }

  async recordMail(tenantId: string, id: string, mail: { hash: Buffer; sentTo: string; ttlSeconds: number }) {
    await modify(
      this.dataSource,
      `UPDATE auth.tenant_domains
          SET mail_token_hash = $3, mail_sent_to = $4, mail_sent_at = now(),
              mail_expires_at = now() + make_interval(secs => $5)
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, mail.hash, mail.sentTo, mail.ttlSeconds],
    );
  }

  /** The claim a mail link belongs to, with whether the link is still valid. */
  async findByMailToken(hash: Buffer): Promise<{ tenantId: string; id: string; expired: boolean } | null> {
    const rows = await this.dataSource.query<{ tenant_id: string; id: string; expired: boolean }[]>(
      `SELECT tenant_id, id, mail_expires_at <= now() AS expired FROM auth.tenant_domains WHERE mail_token_hash = $1`,
      [hash],
    );
    const row = rows[0];
    return row ? { tenantId: row.tenant_id, id: row.id, expired: row.expired } : null;
  }

  /** Removes the claim: its domain, or null when there was none. */
  async remove(
    tenantId: string,
    id: string,
    runner: DataSource | EntityManager = this.dataSource,
  ): Promise<string | null> {
    const { rows } = await modify<{ domain: string }>(
      runner,
      `DELETE FROM auth.tenant_domains WHERE tenant_id = $1 AND id = $2 RETURNING domain`,
      [tenantId, id],
    );
    return rows[0]?.domain ?? null;
  }
}
