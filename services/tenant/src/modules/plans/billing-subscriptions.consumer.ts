import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent } from '@parley/bus';
import { BillingSubscriptionChangedV1, type MessageOf } from '@parley/contracts';
import { ChangePlanCommand } from './usecases/change-plan/change-plan.command';
import { ChangePlanUseCase } from './usecases/change-plan/change-plan.usecase';

/**
 * Kafka edge: billing's `billing.subscription-changed.v1` (a Stripe subscription started, changed
 * plan or ended) moves the tenant to the entitled plan. The tenant service stays the one writer of
 * `control.tenants.plan_id`; the same plan again is a no-op, so a redelivery changes nothing.
 */
@Controller()
export class BillingSubscriptionsConsumer {
  constructor(private readonly changePlan: ChangePlanUseCase) {}

  @OnEvent(BillingSubscriptionChangedV1)
  async onSubscriptionChanged(@Payload() message: MessageOf<typeof BillingSubscriptionChangedV1>): Promise<void> {
    await this.changePlan.execute(
      ChangePlanCommand.create({
        tenantId: message.tenantId,
        actor: 'billing',
        plan: message.plan,
        reason: `stripe ${message.status} (${message.sourceEventId})`,
      }),
    );
  }
}
