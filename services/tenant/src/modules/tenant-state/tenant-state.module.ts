import { Module } from '@nestjs/common';
import { TenantAuditRepository } from './tenant-audit.repository';
import { TenantChangeRunner } from './tenant-change.runner';
import { TenantStateRepository } from './tenant-state.repository';

/** The tenant's control-plane state shared by the lifecycle, plan, flag and settings features. */
@Module({
  providers: [TenantStateRepository, TenantAuditRepository, TenantChangeRunner],
  exports: [TenantStateRepository, TenantAuditRepository, TenantChangeRunner],
})
export class TenantStateModule {}
