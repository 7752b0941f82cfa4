import { Module } from '@nestjs/common';
import { BillingSchemaModule } from '../billing-schema/billing-schema.module';
import { LedgerModule } from '../ledger/ledger.module';
import { BillingCustomer } from './billing-customer';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsRepository } from './subscriptions.repository';
import { CancelSubscriptionUseCase } from './usecases/cancel-subscription/cancel-subscription.usecase';
import { ChangePlanUseCase } from './usecases/change-plan/change-plan.usecase';
import { CreateCheckoutSessionUseCase } from './usecases/create-checkout-session/create-checkout-session.usecase';
import { CreatePortalSessionUseCase } from './usecases/create-portal-session/create-portal-session.usecase';
import { GetBillingOverviewUseCase } from './usecases/get-billing-overview/get-billing-overview.usecase';

/** The tenant's plan and subscription: overview, Checkout, Portal, plan change, cancellation. */
@Module({
  imports: [BillingSchemaModule, LedgerModule],
  controllers: [SubscriptionsController],
  providers: [
    SubscriptionsRepository,
    BillingCustomer,
    GetBillingOverviewUseCase,
    CreateCheckoutSessionUseCase,
    CreatePortalSessionUseCase,
    ChangePlanUseCase,
    CancelSubscriptionUseCase,
  ],
})
export class SubscriptionsModule {}
