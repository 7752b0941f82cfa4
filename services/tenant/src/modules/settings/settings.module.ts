import { Module } from '@nestjs/common';
import { TenantStateModule } from '../tenant-state/tenant-state.module';
import { SettingsController } from './settings.controller';
import { SettingsRepository } from './settings.repository';
import { GetSettingUseCase } from './usecases/get-setting/get-setting.usecase';
import { PutSettingUseCase } from './usecases/put-setting/put-setting.usecase';

/** Tenant settings: JSON values in each tenant schema's `settings` table. */
@Module({
  imports: [TenantStateModule],
  controllers: [SettingsController],
  providers: [SettingsRepository, GetSettingUseCase, PutSettingUseCase],
})
export class SettingsModule {}
