import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  cancelSubscriptionBodySchema,
  changePlanBodySchema,
  checkoutBodySchema,
  parseInput,
  portalBodySchema,
  type BillingOverview,
} from '@parley/contracts';
import { BillingAccessGuard } from '../access/billing-access.guard';
import { CancelSubscriptionUseCase } from './usecases/cancel-subscription/cancel-subscription.usecase';
import { ChangePlanUseCase } from './usecases/change-plan/change-plan.usecase';
import { CreateCheckoutSessionUseCase } from './usecases/create-checkout-session/create-checkout-session.usecase';
import { CreatePortalSessionUseCase } from './usecases/create-portal-session/create-portal-session.usecase';
import { GetBillingOverviewUseCase } from './usecases/get-billing-overview/get-billing-overview.usecase';

/** `/billing…` for owners and billing members of the principal's tenant (BillingAccessGuard). */
@Controller('billing')
@UseGuards(BillingAccessGuard)
export class SubscriptionsController {
  constructor(
    private readonly overview: GetBillingOverviewUseCase,
    private readonly checkout: CreateCheckoutSessionUseCase,
    private readonly portal: CreatePortalSessionUseCase,
    private readonly changePlan: ChangePlanUseCase,
    private readonly cancel: CancelSubscriptionUseCase,
  ) {}

  @Get()
  get(): Promise<BillingOverview> {
    return this.overview.execute();
  }

  @Post('checkout')
  createCheckout(@Body() body: unknown): Promise<{ url: string }> {
    return this.checkout.execute(parseInput(checkoutBodySchema, body, 'checkout request'));
  }

  @Post('portal')
  createPortal(@Body() body: unknown): Promise<{ url: string }> {
    return this.portal.execute(parseInput(portalBodySchema, body, 'portal request'));
  }

  @Post('subscription/plan')
  @HttpCode(202)
  async plan(@Body() body: unknown): Promise<void> {
    await this.changePlan.execute(parseInput(changePlanBodySchema, body, 'plan change'));
  }

  @Post('subscription/cancel')
  @HttpCode(202)
  async cancelAtPeriodEnd(@Body() body: unknown): Promise<void> {
    await this.cancel.execute(parseInput(cancelSubscriptionBodySchema, body, 'cancellation'));
  }
}
