import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { BillingAccessGuard } from '../access/billing-access.guard';
import type { BillingRequest } from '../access/billing-principal';
import { StripeWebhookRoute } from '../access/stripe-webhook-route.decorator';
import { ApplyStripeEventUseCase } from './usecases/apply-stripe-event/apply-stripe-event.usecase';

@Controller('billing/webhooks')
@UseGuards(BillingAccessGuard)
export class WebhooksController {
  constructor(private readonly applyStripeEvent: ApplyStripeEventUseCase) {}

  @Post('stripe')
  @HttpCode(200)
  @StripeWebhookRoute()
  async stripe(@Req() req: BillingRequest): Promise<{ received: true; duplicate: boolean }> {
    const result = await this.applyStripeEvent.execute({
      rawBody: req.rawBody ?? Buffer.alloc(0),
      signature: req.header('stripe-signature'),
    });
    return { received: true, duplicate: result.duplicate };
  }
}
