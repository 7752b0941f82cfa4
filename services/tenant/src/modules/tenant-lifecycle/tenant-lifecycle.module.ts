import { Module } from '@nestjs/common';
import { TenantStateModule } from '../tenant-state/tenant-state.module';
import { TenantLifecycleController } from './tenant-lifecycle.controller';
import { TenantPurgeJob } from './tenant-purge.job';
import { TenantStatusSeedJob } from './tenant-status-seed.job';
import { DeleteTenantUseCase } from './usecases/delete-tenant/delete-tenant.usecase';
import { ListTenantAuditUseCase } from './usecases/list-tenant-audit/list-tenant-audit.usecase';
import { PurgeDeletedTenantsUseCase } from './usecases/purge-deleted-tenants/purge-deleted-tenants.usecase';
import { RestoreTenantUseCase } from './usecases/restore-tenant/restore-tenant.usecase';
import { ResumeTenantUseCase } from './usecases/resume-tenant/resume-tenant.usecase';
import { SuspendTenantUseCase } from './usecases/suspend-tenant/suspend-tenant.usecase';

/** Suspension, deletion with a grace period, restore, the purge job, the audit trail, and the Redis copy of statuses. */
@Module({
  imports: [TenantStateModule],
  controllers: [TenantLifecycleController],
  providers: [
    SuspendTenantUseCase,
    ResumeTenantUseCase,
    DeleteTenantUseCase,
    RestoreTenantUseCase,
    PurgeDeletedTenantsUseCase,
    ListTenantAuditUseCase,
    TenantPurgeJob,
    TenantStatusSeedJob,
  ],
  exports: [PurgeDeletedTenantsUseCase],
})
export class TenantLifecycleModule {}
