import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '@parley/tenancy';

/**
 * The gate sync asks which of a tenant's open reservations (keyed by usage source id: a chat
 * answer's message id) the ledger already holds, on every sync: an index keeps that a lookup.
 */
export class LedgerSource0005 implements SchemaMigration {
  readonly name = '0005-ledger-source';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX usage_ledger_tenant_source_idx ON billing.usage_ledger (tenant_id, source_id)`);
  }
}
