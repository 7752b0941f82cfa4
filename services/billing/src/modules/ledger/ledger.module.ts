import { Module } from '@nestjs/common';
import { BillingSchemaModule } from '../billing-schema/billing-schema.module';
import { BudgetsModule } from '../budgets/budgets.module';
import { LedgerConsumer } from './ledger.consumer';
import { LedgerRepository } from './ledger.repository';
import { ReconcileUsageUseCase } from './usecases/reconcile-usage/reconcile-usage.usecase';
import { RecordUsageUseCase } from './usecases/record-usage/record-usage.usecase';
import { ReportMeterEventsUseCase } from './usecases/report-meter-events/report-meter-events.usecase';

/** The usage ledger: `usage.recorded.v1` in, Stripe meter events out, and the reconciler. */
@Module({
  imports: [BillingSchemaModule, BudgetsModule],
  controllers: [LedgerConsumer],
  providers: [LedgerRepository, RecordUsageUseCase, ReportMeterEventsUseCase, ReconcileUsageUseCase],
  exports: [LedgerRepository],
})
export class LedgerModule {}
