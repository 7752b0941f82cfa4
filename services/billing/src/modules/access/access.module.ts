import { Global, Module } from '@nestjs/common';
import { BillingAccessGuard } from './billing-access.guard';
import { BillingAudit } from './billing-audit';

/**
 * The billing access guard, for `@UseGuards(BillingAccessGuard)` on every billing controller, and
 * the audit of billing changes.
 */
@Global()
@Module({ providers: [BillingAccessGuard, BillingAudit], exports: [BillingAccessGuard, BillingAudit] })
export class AccessModule {}
