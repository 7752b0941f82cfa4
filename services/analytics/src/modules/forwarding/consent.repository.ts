import { Injectable } from '@nestjs/common';
import { TenantDb } from '@parley/tenancy';

/** The context tenant's analytics consent row (none: it never chose). */
@Injectable()
export class ConsentRepository {
  constructor(private readonly db: TenantDb) {}

  async read(): Promise<boolean | null> {
    const [row] = await this.db.statement<{ enabled: boolean }>('SELECT enabled FROM {schema}.analytics_consent');
    return row ? row.enabled : null;
  }

  async write(enabled: boolean, changedBy: string | null): Promise<void> {
    await this.db.statement(
      `INSERT INTO {schema}.analytics_consent (singleton, enabled, changed_by, changed_at) VALUES (true, $1, $2, now())
       ON CONFLICT (singleton) DO UPDATE SET enabled = $1, changed_by = $2, changed_at = now()`,
      [enabled, changedBy],
    );
  }
}
