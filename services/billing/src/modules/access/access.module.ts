import { Global, Module } from '@nestjs/common';
import { BillingAccessGuard } from './billing-access.guard';

/** The billing access guard, for `@UseGuards(BillingAccessGuard)` on every billing controller. */
@Global()
@Module({ providers: [BillingAccessGuard], exports: [BillingAccessGuard] })
export class AccessModule {}
