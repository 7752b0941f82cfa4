import type { QueryRunner } from 'typeorm';
import type { SchemaMigration } from '../migration';

export class ControlInit0001 implements SchemaMigration {
  readonly name = '0001-control-init';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE control.plans (
        id text PRIMARY KEY,
        name text NOT NULL,
        limits jsonb NOT NULL
      )`);
    await q.query(`
      INSERT INTO control.plans (id, name, limits) VALUES
        ('free', 'Free', '{"chatRequestsPerHour":10,"tokensPerMonth":100000,"sttMinutesPerMonth":30,"members":3,"apiKeys":2}'),
        ('pro', 'Pro', '{"chatRequestsPerHour":100,"tokensPerMonth":5000000,"sttMinutesPerMonth":600,"members":50,"apiKeys":20}'),
        ('enterprise', 'Enterprise', '{"chatRequestsPerHour":1000,"tokensPerMonth":100000000,"sttMinutesPerMonth":10000,"members":1000,"apiKeys":200}')`);
    await q.query(`
      CREATE TABLE control.tenants (
        id uuid PRIMARY KEY,
        slug text NOT NULL UNIQUE,
        name text NOT NULL,
        plan_id text NOT NULL REFERENCES control.plans(id),
        deployment_mode text NOT NULL CHECK (deployment_mode IN ('self-hosted', 'cloud')),
        schema_name text NOT NULL UNIQUE CHECK (schema_name ~ '^tenant_[0-9a-f]{32}$'),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('provisioning', 'active', 'suspended', 'deleted')),
        schema_version text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX tenants_created_idx ON control.tenants (created_at, id)`);
    await q.query(`
      CREATE TABLE control.tenant_migrations (
        tenant_id uuid NOT NULL REFERENCES control.tenants(id) ON DELETE CASCADE,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, name)
      )`);
  }
}
