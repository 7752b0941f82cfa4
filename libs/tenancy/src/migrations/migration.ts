import type { QueryRunner } from 'typeorm';

/**
 * A schema migration run by our ledger-based runners (control plane and per tenant). It is a
 * TypeORM migration: `up` receives a QueryRunner inside the runner's transaction, with
 * `search_path` already set to the target schema for tenant migrations.
 */
export interface SchemaMigration {
  readonly name: string;
  up(queryRunner: QueryRunner): Promise<void>;
}
