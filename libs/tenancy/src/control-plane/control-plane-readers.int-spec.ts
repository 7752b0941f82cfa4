import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createTestDatabase, uniqueSuffix, type TestDatabase } from '@parley/testing';
import { createDataSource } from '../database/create-data-source';
import { migrateControlPlane } from '../migrations/control-migrator';
import { TenantMigrationRunner } from '../migrations/tenant-migration-runner';
import { provisionTestTenant } from '../test-tenants';
import { FeatureFlagsReader } from './feature-flags.reader';
import { PlanLimitsReader } from './plan-limits.reader';

/** The control-plane readers every service gets from DatabaseModule, on the real Postgres. */
describe('control-plane readers', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let tenantA: string;
  let tenantB: string;

  const setOverride = (tenantId: string, name: string, enabled: boolean) =>
    dataSource.query(
      `INSERT INTO control.tenant_features (tenant_id, name, enabled) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, name) DO UPDATE SET enabled = EXCLUDED.enabled`,
      [tenantId, name, enabled],
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = createDataSource({ url: db.url, poolMax: 2, ssl: false }, 'control-readers-int-spec');
    await dataSource.initialize();
    await migrateControlPlane(dataSource);
    const runner = new TenantMigrationRunner(dataSource);
    tenantA = await provisionTestTenant(dataSource, runner, `acme-${uniqueSuffix()}`);
    tenantB = await provisionTestTenant(dataSource, runner, `globex-${uniqueSuffix()}`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  describe('FeatureFlagsReader', () => {
    const globals = { voice_input: false, export: true };
    const reader = () => new FeatureFlagsReader({ features: globals }, dataSource);

    it('answers the global defaults for a tenant without overrides', async () => {
      expect(await reader().flagsFor(tenantA)).toEqual({ export: true, voice_input: false });
      expect(await reader().isEnabled(tenantA, 'export')).toBe(true);
      expect(await reader().isEnabled(tenantA, 'voice_input')).toBe(false);
    });

    it('sees a flipped flag row after forget, and keeps the cached answer until then', async () => {
      const flags = reader();
      expect(await flags.isEnabled(tenantA, 'voice_input')).toBe(false);
      await setOverride(tenantA, 'voice_input', true);
      expect(await flags.isEnabled(tenantA, 'voice_input')).toBe(false); // cached (at most 5 s)
      flags.forget(tenantA);
      expect(await flags.isEnabled(tenantA, 'voice_input')).toBe(true);
      expect(await flags.flagsFor(tenantA)).toEqual({ export: true, voice_input: true });
      await setOverride(tenantA, 'export', false);
      flags.forget(tenantA);
      expect(await flags.flagsFor(tenantA)).toEqual({ export: false, voice_input: true });
    });

    it("does not leak another tenant's overrides", async () => {
      await setOverride(tenantA, 'voice_input', true);
      const flags = reader();
      expect(await flags.isEnabled(tenantA, 'voice_input')).toBe(true);
      expect(await flags.isEnabled(tenantB, 'voice_input')).toBe(false);
      expect(await flags.flagsFor(tenantB)).toEqual({ export: true, voice_input: false });
    });

    it('keeps undeclared flags off, even with an override row', async () => {
      await setOverride(tenantB, 'not_declared', true);
      const flags = reader();
      expect(await flags.isEnabled(tenantB, 'not_declared')).toBe(false);
      expect(await flags.flagsFor(tenantB)).not.toHaveProperty('not_declared');
      expect(await flags.isEnabled(tenantB, 'toString')).toBe(false);
    });

    it('answers only a copy: changing it does not change the cache', async () => {
      const flags = reader();
      const first = await flags.flagsFor(tenantB);
      first.export = false;
      expect((await flags.flagsFor(tenantB)).export).toBe(true);
    });

    it('refuses an unknown tenant with tenant_not_found and a malformed id with invalid_tenant_id', async () => {
      await expect(reader().flagsFor(randomUUID())).rejects.toMatchObject({ code: 'tenant_not_found' });
      await expect(reader().isEnabled('not-a-uuid', 'export')).rejects.toMatchObject({ code: 'invalid_tenant_id' });
    });
  });

  describe('PlanLimitsReader', () => {
    it("reads the tenant's plan and limits, and sees a plan change after forget", async () => {
      const plans = new PlanLimitsReader(dataSource);
      const before = await plans.planOf(tenantA);
      expect(before.planId).toBe('free');
      expect(before.limits).toMatchObject({ chatRequestsPerHour: expect.any(Number) });
      await dataSource.query(`UPDATE control.tenants SET plan_id = 'pro' WHERE id = $1`, [tenantA]);
      expect((await plans.planOf(tenantA)).planId).toBe('free'); // cached (at most 5 s)
      plans.forget(tenantA);
      const after = await plans.planOf(tenantA);
      expect(after.planId).toBe('pro');
      const [pro] = await dataSource.query<{ limits: unknown }[]>(`SELECT limits FROM control.plans WHERE id = 'pro'`);
      expect(after.limits).toEqual(pro?.limits);
      expect((await plans.planOf(tenantB)).planId).toBe('free'); // another tenant's change does not leak
    });

    it('sees a change of the plan row itself (limits) after forget', async () => {
      const plans = new PlanLimitsReader(dataSource);
      const before = await plans.planOf(tenantB);
      const members = Number(before.limits.members) + 7;
      await dataSource.query(
        `UPDATE control.plans SET limits = jsonb_set(limits, '{members}', $1::jsonb) WHERE id = 'free'`,
        [JSON.stringify(members)],
      );
      plans.forget(tenantB);
      expect((await plans.planOf(tenantB)).limits.members).toBe(members);
    });

    it('refuses an unknown tenant with tenant_not_found', async () => {
      await expect(new PlanLimitsReader(dataSource).planOf(randomUUID())).rejects.toMatchObject({
        code: 'tenant_not_found',
      });
    });
  });
});
