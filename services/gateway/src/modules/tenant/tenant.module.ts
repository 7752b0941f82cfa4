import { Module } from '@nestjs/common';
import { TenantController } from './tenant.controller';
import { GetCurrentTenantUseCase } from './usecases/get-current-tenant/get-current-tenant.usecase';

@Module({ controllers: [TenantController], providers: [GetCurrentTenantUseCase] })
export class TenantModule {}
