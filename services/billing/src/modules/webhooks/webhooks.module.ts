import { Module } from '@nestjs/common';
import { BillingSchemaModule } from '../billing-schema/billing-schema.module';
import { BudgetsModule } from '../budgets/budgets.module';
import { ApplyStripeEventUseCase } from './usecases/apply-stripe-event/apply-stripe-event.usecase';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';

/** Stripe's webhook endpoint: verified, applied once, out-of-order safe. */
@Module({
  imports: [BillingSchemaModule, BudgetsModule],
  controllers: [WebhooksController],
  providers: [ApplyStripeEventUseCase, WebhooksRepository],
})
export class WebhooksModule {}
