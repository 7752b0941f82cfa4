import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent } from '@parley/bus';
import {
  AuthMembershipChangedV1,
  AuthSignedInV1,
  AuthSignedUpV1,
  TenantCreatedV1,
  TenantDeletedV1,
  TenantFeaturesChangedV1,
  TenantPlanChangedV1,
  TenantRestoredV1,
  TenantResumedV1,
  TenantSuspendedV1,
  type MessageOf,
} from '@parley/contracts';
import { signedInProductEvent, signedUpProductEvent } from '../forwarding/product-event';
import { RecordPlatformEventUseCase } from './usecases/record-platform-event/record-platform-event.usecase';

/**
 * The tenant lifecycle (`tenant.*`, all but `tenant.purged.v1`: a purged tenant has no schema to
 * write to) and auth facts, each recorded once in the tenant's event store; sign-ups and sign-ins
 * also go to product analytics (membership changes go there from the audit trail, which names them).
 */
@Controller()
export class TenantEventsConsumer {
  constructor(private readonly record: RecordPlatformEventUseCase) {}

  @OnEvent(TenantCreatedV1)
  async onCreated(@Payload() e: MessageOf<typeof TenantCreatedV1>): Promise<void> {
    await this.record.execute({ type: 'tenant.created', tenantId: e.tenantId, occurredAt: e.createdAt, data: e });
  }

  @OnEvent(TenantPlanChangedV1)
  async onPlanChanged(@Payload() e: MessageOf<typeof TenantPlanChangedV1>): Promise<void> {
    await this.record.execute({
      type: 'tenant.plan-changed',
      tenantId: e.tenantId,
      occurredAt: e.changedAt,
      data: e,
      audit: { action: 'tenant.plan-changed', details: { from: e.previousPlan, to: e.plan } },
    });
  }

  @OnEvent(TenantFeaturesChangedV1)
  async onFeaturesChanged(@Payload() e: MessageOf<typeof TenantFeaturesChangedV1>): Promise<void> {
    await this.record.execute({
      type: 'tenant.features-changed',
      tenantId: e.tenantId,
      occurredAt: e.changedAt,
      data: e,
      audit: { action: 'tenant.features-changed', details: { feature: e.name, override: e.override } },
    });
  }

  @OnEvent(TenantSuspendedV1)
  async onSuspended(@Payload() e: MessageOf<typeof TenantSuspendedV1>): Promise<void> {
    await this.record.execute({
      type: 'tenant.suspended',
      tenantId: e.tenantId,
      occurredAt: e.suspendedAt,
      data: e,
      audit: { action: 'tenant.suspended', details: { reason: e.reason.slice(0, 500) } },
    });
  }

  @OnEvent(TenantResumedV1)
  async onResumed(@Payload() e: MessageOf<typeof TenantResumedV1>): Promise<void> {
    await this.record.execute({
      type: 'tenant.resumed',
      tenantId: e.tenantId,
      occurredAt: e.resumedAt,
      data: e,
      audit: { action: 'tenant.resumed', details: {} },
    });
  }

  @OnEvent(TenantDeletedV1)
  async onDeleted(@Payload() e: MessageOf<typeof TenantDeletedV1>): Promise<void> {
    await this.record.execute({
      type: 'tenant.deleted',
      tenantId: e.tenantId,
      occurredAt: e.deletedAt,
      data: e,
      audit: { action: 'tenant.deleted', details: { purgeAfter: e.purgeAfter } },
    });
  }

  @OnEvent(TenantRestoredV1)
  async onRestored(@Payload() e: MessageOf<typeof TenantRestoredV1>): Promise<void> {
    await this.record.execute({
      type: 'tenant.restored',
      tenantId: e.tenantId,
      occurredAt: e.restoredAt,
      data: e,
      audit: { action: 'tenant.restored', details: { status: e.status } },
    });
  }

  @OnEvent(AuthMembershipChangedV1)
  async onMembershipChanged(@Payload() e: MessageOf<typeof AuthMembershipChangedV1>): Promise<void> {
    await this.record.execute({
      type: 'auth.membership-changed',
      tenantId: e.tenantId,
      occurredAt: e.changedAt,
      data: e,
    });
  }

  @OnEvent(AuthSignedInV1)
  async onSignedIn(@Payload() e: MessageOf<typeof AuthSignedInV1>): Promise<void> {
    await this.record.execute({
      type: 'auth.signed-in',
      tenantId: e.tenantId,
      occurredAt: e.signedInAt,
      data: e,
      factId: e.sessionId,
      product: signedInProductEvent(e),
    });
  }

  @OnEvent(AuthSignedUpV1)
  async onSignedUp(@Payload() e: MessageOf<typeof AuthSignedUpV1>): Promise<void> {
    await this.record.execute({
      type: 'auth.signed-up',
      tenantId: e.tenantId,
      occurredAt: e.signedUpAt,
      data: e,
      factId: `${e.tenantId}:${e.userId}:signed-up`,
      product: signedUpProductEvent(e),
    });
  }
}
