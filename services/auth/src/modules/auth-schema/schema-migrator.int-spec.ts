import 'reflect-metadata';
import type { DataSource, QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from '@parley/tenancy';
import { createTestDatabase, type TestDatabase } from '@parley/testing';
import { AUTH_SCHEMA_PLAN } from './migrations/auth-migrations';
import { migrateSchema } from '@parley/tenancy';

describe('migrateSchema on the real Postgres', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = createDataSource({ url: db.url, poolMax: 8, ssl: false }, 'auth-schema-test');
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const tables = async (schema: string): Promise<string[]> =>
    (
      await dataSource.query<{ table_name: string }[]>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
        [schema],
      )
    ).map((r) => r.table_name);

  it('migrates the auth schema once when replicas start together, and a re-run applies nothing', async () => {
    const runs = await Promise.all(Array.from({ length: 4 }, () => migrateSchema(dataSource, AUTH_SCHEMA_PLAN)));
    const names = AUTH_SCHEMA_PLAN.migrations.map((m) => m.name);
    expect(names.slice(0, 3)).toEqual(['0001-auth-init', '0002-members-keys-invites', '0003-signup-sagas']);
    expect(runs.flat()).toEqual(names);
    expect(await tables('auth')).toEqual([
      'api_keys',
      'auth_migrations',
      'billing_notice_mails',
      'invites',
      'memberships',
      'password_resets',
      'refresh_tokens',
      'saml_sessions',
      'scim_directories',
      'scim_group_members',
      'scim_groups',
      'scim_users',
      'sessions',
      'signing_keys',
      'signup_sagas',
      'sso_connections',
      'sso_login_traces',
      'sso_policies',
      'tenant_domains',
      'users',
    ]);
    await expect(migrateSchema(dataSource, AUTH_SCHEMA_PLAN)).resolves.toEqual([]);
    const ledger = await dataSource.query<{ name: string }[]>(`SELECT name FROM auth.auth_migrations ORDER BY name`);
    expect(ledger).toEqual(names.map((name) => ({ name })));
  });

  it('rolls a failed run back completely: no schema, no table, no ledger row', async () => {
    const plan = {
      schema: 'auth_broken',
      ledgerTable: 'auth_broken_migrations',
      lockKey: 7_134_199,
      migrations: [
        {
          name: '0001-ok',
          up: (q: QueryRunner) => q.query('CREATE TABLE auth_broken.t (id int)').then(() => undefined),
        },
        { name: '0002-fails', up: (q: QueryRunner) => q.query('SELECT * FROM no_such_table').then(() => undefined) },
      ],
    };
    await expect(migrateSchema(dataSource, plan)).rejects.toThrow(/no_such_table/);
    expect(await tables('auth_broken')).toEqual([]);
  });

  it('holds the invariants in the schema: one active signing key, one account per email', async () => {
    const insertKey = (kid: string) =>
      dataSource.query(
        `INSERT INTO auth.signing_keys (kid, alg, public_jwk, private_key_pkcs8_enc, activated_at)
         VALUES ($1, 'EdDSA', '{}', '\\x01', now())`,
        [kid],
      );
    await insertKey('k1');
    await expect(insertKey('k2')).rejects.toThrow(/signing_keys_one_active/);
    await expect(
      dataSource.query(
        `INSERT INTO auth.signing_keys (kid, alg, public_jwk, private_key_pkcs8_enc) VALUES ('k3', 'HS256', '{}', '\\x01')`,
      ),
    ).rejects.toThrow(/check constraint/);

    const insertUser = (id: string) =>
      dataSource.query(
        `INSERT INTO auth.users (id, email, name, password_hash) VALUES ($1, 'a@example.com', 'A', 'h')`,
        [id],
      );
    await insertUser('5b0c2b9e-6a53-4d6e-9a4f-0d1f2e3c4b5a');
    await expect(insertUser('6c1d3caf-7b64-4e7f-8b50-1e2f3d4c5b6a')).rejects.toThrow(/users_email_key/);
  });
});
