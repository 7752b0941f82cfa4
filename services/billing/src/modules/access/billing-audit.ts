import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AuditRecorder, type AuditActor, type OutboxTransaction } from '@parley/bus';
import { RequestContext } from '@parley/observability';
import { DATA_SOURCE, TenantContext } from '@parley/tenancy';

/** What changed in billing: a budget, a plan, a cancellation, a Checkout or Portal session, a subscription. */
export type BillingChange = 'budget' | 'plan' | 'cancellation' | 'checkout' | 'portal' | 'subscription';

/**
 * Billing changes for the tenant's audit log (`billing.changed`, `details.change` says which). The
 * actor is the person the billing guard verified (billing routes refuse API keys), the platform for
 * a provider's webhook. In the caller's transaction when there is one (budgets, webhooks), else in
 * one of its own right after a Stripe call succeeded (Stripe holds that state, not Parley's tables).
 */
@Injectable()
export class BillingAudit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly recorder: AuditRecorder,
  ) {}

  async record(
    change: BillingChange,
    target: { type: string; id: string | null },
    details: Record<string, string | number | boolean | null>,
    tx?: OutboxTransaction,
  ): Promise<void> {
    const tenantId = TenantContext.require();
    const fact = {
      tenantId,
      actor: actorOfContext(),
      action: 'billing.changed' as const,
      target,
      details: { change, ...details },
    };
    if (tx) {
      await this.recorder.record(tx, fact);
      return;
    }
    await this.dataSource.transaction((manager) => this.recorder.record(manager, fact));
  }
}

function actorOfContext(): AuditActor {
  const userId = RequestContext.current()?.userId;
  return userId ? { kind: 'user', id: userId } : { kind: 'system', id: null };
}
