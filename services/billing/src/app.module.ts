import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import { BillingNoticeV1, BillingSubscriptionChangedV1 } from '@parley/contracts';
import type { Logger } from '@parley/observability';
import { AccessModule } from './modules/access/access.module';
import { BillingSchemaModule } from './modules/billing-schema/billing-schema.module';
import { BudgetsModule } from './modules/budgets/budgets.module';
import { LedgerModule } from './modules/ledger/ledger.module';
import { SeatsModule } from './modules/seats/seats.module';
import { StripeModule } from './modules/stripe/stripe.module';
import { SubscriptionsModule } from './modules/subscriptions/subscriptions.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';

/** Composition root of the billing service. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config, logger, { bus: { topics: [BillingSubscriptionChangedV1, BillingNoticeV1] } }),
        BillingSchemaModule,
        StripeModule,
        AccessModule,
        BudgetsModule,
        LedgerModule,
        WebhooksModule,
        SubscriptionsModule,
        SeatsModule,
      ],
    };
  }
}
