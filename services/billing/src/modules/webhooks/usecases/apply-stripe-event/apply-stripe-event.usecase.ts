import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import type { DataSource, QueryRunner } from 'typeorm';
import { OutboxWriter } from '@parley/bus';
import { APP_CONFIG, type AppConfig, type BillingConfig } from '@parley/config';
import {
  BillingNoticeV1,
  BillingSubscriptionChangedV1,
  DomainException,
  ErrorCode,
  HANDLED_STRIPE_EVENTS,
  type HandledStripeEvent,
} from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { DATA_SOURCE, TenantContext } from '@parley/tenancy';
import { BillingAudit } from '../../../access/billing-audit';
import { SyncBillingGateUseCase } from '../../../budgets/usecases/sync-billing-gate/sync-billing-gate.usecase';
import { STRIPE } from '../../../stripe/stripe.tokens';
import { idOf, invoiceState, subscriptionState, tenantOfMetadata } from '../../stripe-objects';
import { isNewer, WebhooksRepository, type EventVersion } from '../../webhooks.repository';

export interface StripeDelivery {
  rawBody: Buffer;
  signature: string | undefined;
}

export type WebhookOutcome = 'applied' | 'stale' | 'ignored' | 'no_tenant';

/**
 * One Stripe webhook delivery:
 * 1. verify the signature on the raw bytes against each configured secret (the current one and,
 *    during a rotation, the previous), within the tolerance: else 400 `webhook_signature_invalid`;
 * 2. in ONE transaction: claim the event id in `processed_webhook_events` (a redelivery, or the
 *    same event arriving twice at once, finds it claimed and changes nothing), take the tenant's
 *    lock, apply the event by its type unless a newer event already set that state (versions are
 *    (created, id)), and write `billing.subscription-changed.v1` to the outbox when the entitled
 *    plan changes; every applied subscription change is also an audit entry (`billing.changed`,
 *    `subscription`, by the platform). A failure rolls everything back and the 5xx makes Stripe
 *    deliver it again;
 * 3. rewrite the tenant's billing gate (the dunning state the request paths read).
 */
@Injectable()
export class ApplyStripeEventUseCase {
  private readonly billing: BillingConfig;

  constructor(
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    private readonly repository: WebhooksRepository,
    private readonly outbox: OutboxWriter,
    private readonly audit: BillingAudit,
    private readonly gate: SyncBillingGateUseCase,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.billing = config.billing as BillingConfig;
  }

  async execute(delivery: StripeDelivery): Promise<{ duplicate: boolean; outcome: WebhookOutcome | null }> {
    const event = await this.verify(delivery);
    const version = { created: event.created, id: event.id };
    const q = this.db.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      if (!(await this.repository.claimEvent(q, { ...version, type: event.type }))) {
        await q.rollbackTransaction();
        // A redelivery: the gate write of the first delivery may have failed after its commit.
        const tenantId = await this.repository.tenantOfEvent(q, event.id);
        if (tenantId) await this.gate.execute(tenantId);
        return { duplicate: true, outcome: null };
      }
      const { tenantId, outcome } = await this.apply(q, event, version);
      await this.repository.settleEvent(q, event.id, tenantId, outcome);
      await q.commitTransaction();
      this.logger.info({ eventId: event.id, type: event.type, tenantId, outcome }, 'Stripe event processed');
      // Dunning reaches the request paths through the gate (a failure here: 5xx, Stripe delivers again).
      if (tenantId) await this.gate.execute(tenantId);
      return { duplicate: false, outcome };
    } catch (error) {
      if (q.isTransactionActive) await q.rollbackTransaction();
      throw error;
    } finally {
      await q.release();
    }
  }

  private async verify(delivery: StripeDelivery): Promise<Stripe.Event> {
    const stripe = this.stripe as Stripe;
    if (delivery.signature) {
      for (const secret of this.billing.stripe.webhookSecrets) {
        try {
          return await stripe.webhooks.constructEventAsync(
            delivery.rawBody,
            delivery.signature,
            secret,
            this.billing.stripe.webhookToleranceSeconds,
          );
        } catch {
          // the next secret (a rotation in progress), else refused below
        }
      }
    }
    throw new DomainException(
      ErrorCode.WebhookSignatureInvalid,
      'The Stripe-Signature does not verify (signature, signing secret or timestamp)',
    );
  }

  private async apply(
    q: QueryRunner,
    event: Stripe.Event,
    version: EventVersion,
  ): Promise<{ tenantId: string | null; outcome: WebhookOutcome }> {
    if (!(HANDLED_STRIPE_EVENTS as readonly string[]).includes(event.type))
      return { tenantId: null, outcome: 'ignored' };
    const type = event.type as HandledStripeEvent;
    const object = event.data.object as unknown as Record<string, unknown>;
    const tenantId = await this.tenantOf(q, type, object);
    if (!tenantId) {
      this.logger.warn({ eventId: event.id, type }, 'Stripe event names no tenant Parley knows; ignored');
      return { tenantId: null, outcome: 'no_tenant' };
    }
    await this.repository.lockTenant(q, tenantId);
    const outcome = await TenantContext.run(tenantId, () => this.applyTo(q, type, object, tenantId, version));
    return { tenantId, outcome };
  }

  private async tenantOf(
    q: QueryRunner,
    type: HandledStripeEvent,
    object: Record<string, unknown>,
  ): Promise<string | null> {
    const customer = idOf(object.customer as string | { id: string } | null);
    let tenantId = tenantOfMetadata(object.metadata as Stripe.Metadata | undefined);
    if (type === 'checkout.session.completed')
      tenantId ??= tenantOfMetadata({ tenant_id: String(object.client_reference_id) });
    if (type.startsWith('invoice.')) {
      const parent = object.parent as Stripe.Invoice['parent'] | undefined;
      tenantId ??= tenantOfMetadata(parent?.subscription_details?.metadata);
    }
    if (!tenantId && customer) tenantId = await this.repository.tenantOfCustomer(q, customer);
    if (tenantId && customer) await this.repository.linkCustomer(q, tenantId, customer);
    return tenantId;
  }

  private async applyTo(
    q: QueryRunner,
    type: HandledStripeEvent,
    object: Record<string, unknown>,
    tenantId: string,
    version: EventVersion,
  ): Promise<WebhookOutcome> {
    switch (type) {
      case 'checkout.session.completed':
        return 'applied'; // the customer link (tenantOf) is all: the subscription events carry the state
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
        return this.applySubscription(q, object as unknown as Stripe.Subscription, tenantId, version, type);
      case 'customer.subscription.trial_will_end': {
        const trialEnd = (object as unknown as Stripe.Subscription).trial_end ?? null;
        await this.repository.setTrialEnd(q, tenantId, trialEnd);
        if (trialEnd !== null) {
          await this.outbox.add(q, BillingNoticeV1, {
            noticeId: version.id,
            tenantId,
            occurredAt: new Date(version.created * 1000).toISOString(),
            kind: 'trial_ending',
            trialEndsAt: new Date(trialEnd * 1000).toISOString(),
          });
        }
        return 'applied';
      }
      case 'invoice.paid':
      case 'invoice.payment_failed': {
        const invoice = object as unknown as Stripe.Invoice;
        const cached = await this.repository.saveInvoice(q, invoiceState(invoice, tenantId), version);
        const failed =
          type === 'invoice.payment_failed'
            ? {
                invoiceFinalizedAt: invoice.status_transitions?.finalized_at ?? invoice.created,
                graceDays: this.billing.gracePeriodDays,
              }
            : null;
        const dunning = await this.repository.setDunning(q, tenantId, failed, version);
        // The grace period started (not a stale failure after a newer payment): mail the owners.
        if (failed && dunning) {
          await this.outbox.add(q, BillingNoticeV1, {
            noticeId: version.id,
            tenantId,
            occurredAt: new Date(version.created * 1000).toISOString(),
            kind: 'payment_failed',
            invoiceId: invoice.id ?? 'unknown',
            amountDue: invoice.amount_due,
            currency: invoice.currency,
            graceUntil: new Date((failed.invoiceFinalizedAt + failed.graceDays * 86_400) * 1000).toISOString(),
          });
        }
        return cached || dunning ? 'applied' : 'stale';
      }
    }
  }

  private async applySubscription(
    q: QueryRunner,
    sub: Stripe.Subscription,
    tenantId: string,
    version: EventVersion,
    type: HandledStripeEvent,
  ): Promise<WebhookOutcome> {
    const current = await this.repository.currentSubscription(q, tenantId);
    if (current && !isNewer(version, current.version)) return 'stale';
    const state = subscriptionState(
      sub,
      tenantId,
      this.billing.prices,
      type === 'customer.subscription.deleted',
      current?.entitledPlan ?? 'free',
    );
    await this.repository.saveSubscription(q, state, version);
    const previous = current?.entitledPlan ?? 'free';
    await this.audit.record(
      'subscription',
      { type: 'subscription', id: state.stripeSubscriptionId },
      { event: type, status: state.status, from: previous, to: state.entitledPlan, seats: state.seats },
      q,
    );
    if (state.entitledPlan !== previous) {
      await this.outbox.add(q, BillingSubscriptionChangedV1, {
        tenantId,
        plan: state.entitledPlan,
        status: state.status,
        seats: state.seats,
        stripeSubscriptionId: state.stripeSubscriptionId,
        sourceEventId: version.id,
        sourceEventCreatedAt: new Date(version.created * 1000).toISOString(),
        changedAt: new Date().toISOString(),
      });
    }
    return 'applied';
  }
}
