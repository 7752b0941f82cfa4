import { Module } from '@nestjs/common';
import { TenantStateModule } from '../tenant-state/tenant-state.module';
import { FeatureFlags } from './feature-flags';
import { FeaturesController } from './features.controller';
import { FeaturesRepository } from './features.repository';
import { GetTenantFeaturesUseCase } from './usecases/get-tenant-features/get-tenant-features.usecase';
import { SetTenantFeatureUseCase } from './usecases/set-tenant-feature/set-tenant-feature.usecase';

/** Feature flags: global defaults from configuration, per-tenant overrides in the control plane. */
@Module({
  imports: [TenantStateModule],
  controllers: [FeaturesController],
  providers: [FeaturesRepository, FeatureFlags, GetTenantFeaturesUseCase, SetTenantFeatureUseCase],
  exports: [FeatureFlags],
})
export class FeaturesModule {}
