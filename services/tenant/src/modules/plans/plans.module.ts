import { Module } from '@nestjs/common';
import { TenantStateModule } from '../tenant-state/tenant-state.module';
import { BillingSubscriptionsConsumer } from './billing-subscriptions.consumer';
import { PlansController } from './plans.controller';
import { PlansRepository } from './plans.repository';
import { ChangePlanUseCase } from './usecases/change-plan/change-plan.usecase';
import { ListPlansUseCase } from './usecases/list-plans/list-plans.usecase';
import { SyncPlansUseCase } from './usecases/sync-plans/sync-plans.usecase';

@Module({
  imports: [TenantStateModule],
  controllers: [PlansController, BillingSubscriptionsConsumer],
  providers: [PlansRepository, SyncPlansUseCase, ListPlansUseCase, ChangePlanUseCase],
  exports: [SyncPlansUseCase],
})
export class PlansModule {}
