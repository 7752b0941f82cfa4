import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

/** The tenant's choice about product analytics leaving Parley (no row: the deployment's default). */
export class AnalyticsConsent0009 implements SchemaMigration {
  readonly name = '0009-analytics-consent';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE analytics_consent (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        enabled boolean NOT NULL,
        changed_by text,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }
}
