import { Module } from '@nestjs/common';
import { UsageController } from './usage.controller';
import { UsageRepository } from './usage.repository';
import { GetUsageUseCase } from './usecases/get-usage/get-usage.usecase';

/** `GET /analytics/usage`: the usage report from the tenant's event store. */
@Module({
  controllers: [UsageController],
  providers: [UsageRepository, GetUsageUseCase],
})
export class UsageModule {}
