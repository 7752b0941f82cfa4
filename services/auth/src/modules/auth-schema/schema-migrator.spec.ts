import { describe, expect, it } from 'vitest';
import { AUTH_SCHEMA_PLAN } from './migrations/auth-migrations';
import { assertValidPlan } from '@parley/tenancy';

const up = async () => undefined;

describe('schema migration plans', () => {
  it('accepts the auth plan', () => {
    expect(() => assertValidPlan(AUTH_SCHEMA_PLAN)).not.toThrow();
    expect(AUTH_SCHEMA_PLAN).toMatchObject({ schema: 'auth', ledgerTable: 'auth_migrations' });
  });

  it.each(['Auth', 'auth; DROP SCHEMA control', 'auth"x', '', '1auth'])('refuses the schema name %j', (schema) => {
    expect(() => assertValidPlan({ ...AUTH_SCHEMA_PLAN, schema })).toThrow(/plain lowercase SQL identifier/);
  });

  it('refuses a migration listed twice', () => {
    const migrations = [
      { name: '0001-a', up },
      { name: '0001-a', up },
    ];
    expect(() => assertValidPlan({ ...AUTH_SCHEMA_PLAN, migrations })).toThrow(/listed twice/);
  });
});
