import { Module } from '@nestjs/common';
import { TenantPlansRepository } from './tenant-plans.repository';

/** Plan limits (members, API keys) of a tenant, read from the control plane. */
@Module({
  providers: [TenantPlansRepository],
  exports: [TenantPlansRepository],
})
export class TenantPlansModule {}
