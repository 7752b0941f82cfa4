export {
  tenantSchemaName,
  isTenantSchemaName,
  isTenantId,
  assertTenantId,
  tenantKey,
  type TenantId,
} from './context/schema-name';
export { TenantContext } from './context/tenant-context';
export { EveryTenantPass } from './jobs/every-tenant-pass';
export { DATA_SOURCE } from './database/database.tokens';
export { createDataSource } from './database/create-data-source';
export { TenantDb, TenantScope, setTenantSearchPath, SCHEMA_TOKEN } from './database/tenant-db';
export { DatabaseModule } from './database/database.module';
export { RedisModule, REDIS, REDIS_FAIL_FAST, REDIS_FAIL_FAST_TIMEOUT_MS } from './redis/redis.module';
export { tenantStatusKey, TENANT_STATUSES_SEEDED_KEY, PURGED_STATUS_TTL_SECONDS } from './redis/tenant-status-keys';
export { TenancyModule } from './tenancy.module';
export { TenantEntity, type TenantStatus } from './control-plane/tenant.entity';
export { PlanEntity, type PlanLimits } from './control-plane/plan.entity';
export { PlanLimitsReader, PLAN_CACHE_TTL_MS, type TenantPlan } from './control-plane/plan-limits.reader';
export {
  FeatureFlagsReader,
  FEATURE_FLAGS_CACHE_TTL_MS,
  effectiveFeatureFlags,
} from './control-plane/feature-flags.reader';
export { CONTROL_ENTITIES } from './control-plane/control-entities';
export type { SchemaMigration } from './migrations/migration';
export { CONTROL_MIGRATIONS } from './migrations/control/control-migrations';
export { TENANT_MIGRATIONS } from './migrations/tenant/tenant-migrations';
export { migrateControlPlane } from './migrations/control-migrator';
export { migrateSchema, assertValidPlan, type SchemaMigrationPlan } from './migrations/schema-migrator';
export {
  TenantMigrationRunner,
  type TenantMigrationOptions,
  type TenantMigrationReport,
  type TenantMigrationResult,
} from './migrations/tenant-migration-runner';
export { SessionRevocations, SUBSCRIBER_CONNECTION_NAME, type RevokedSession } from './sessions/session-revocations';
