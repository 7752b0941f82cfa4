import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { DataSource, QueryRunner } from 'typeorm';
import { OutboxWriter } from '@parley/bus';
import {
  BILLING_GATE_FIELDS,
  BillingNoticeV1,
  BUDGET_ALERT_RATIO,
  billingGateKey,
  type BudgetScope,
} from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { DATA_SOURCE, REDIS } from '@parley/tenancy';
import { BudgetsRepository, type BudgetNoticeLevel, type BudgetSpend } from '../../budgets.repository';
import { monthOf } from '../../month-window';

const fieldOf = (scope: BudgetScope, subjectId: string): string =>
  scope === 'tenant'
    ? BILLING_GATE_FIELDS.tenant
    : scope === 'member'
      ? BILLING_GATE_FIELDS.member(subjectId)
      : BILLING_GATE_FIELDS.apiKey(subjectId);

type Month = ReturnType<typeof monthOf>;

/**
 * Rewrites a tenant's billing gate (see BILLING_GATE_FIELDS) from the database: every budget this
 * month's spend has reached gets its field (the reset time), the grace period's end goes in
 * `payment`, and nothing else stays — in one MULTI, so a reader sees the old gate or the new one.
 * Runs after each usage event, each payment webhook and each budget change; it is idempotent, so
 * a redelivery or a retry after a failure converges.
 *
 * Two replicas syncing the same tenant at once would race (one reads the spend before the other's
 * usage, writes last, and erases a used-up budget from the gate), so the sync runs in a
 * transaction under the tenant's advisory lock: reads and the Redis write of one sync never
 * interleave with another's, and the last one has seen every committed usage.
 *
 * In the same transaction, a budget crossing 80% or 100% of its cap claims its notice (once per
 * cap and month, whichever replica gets there) and writes `billing.notice.v1` to the outbox; a
 * budget that jumps past both at once sends only the 100% one. A failure rolls the claim back with
 * the outbox row, so the retry sends it.
 */
@Injectable()
export class SyncBillingGateUseCase {
  constructor(
    private readonly budgets: BudgetsRepository,
    private readonly outbox: OutboxWriter,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(tenantId: string, now = new Date()): Promise<Record<string, string>> {
    const month = monthOf(now);
    const q = this.db.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      await this.budgets.lockTenant(q, tenantId);
      const budgets = await this.budgets.withSpend(tenantId, month.start, q);
      const graceUntil = await this.budgets.graceUntil(tenantId, q);
      const gate: Record<string, string> = {};
      if (graceUntil) gate[BILLING_GATE_FIELDS.payment] = String(Math.floor(graceUntil.getTime() / 1000));
      for (const budget of budgets) {
        if (budget.spentMicros >= budget.capMicros) {
          gate[fieldOf(budget.scope, budget.subjectId)] = String(Math.floor(month.resetAt.getTime() / 1000));
        }
        await this.notify(q, tenantId, budget, month, now);
      }
      await this.writeGate(tenantId, gate);
      await q.commitTransaction();
      return gate;
    } catch (error) {
      if (q.isTransactionActive) await q.rollbackTransaction();
      throw error;
    } finally {
      await q.release();
    }
  }

  /** Claims and publishes the budget's 80% and 100% notices that its spend has reached. */
  private async notify(q: QueryRunner, tenantId: string, budget: BudgetSpend, month: Month, now: Date): Promise<void> {
    if (budget.spentMicros <= 0) return; // a cap of 0 blocks from the start: nothing was crossed
    const subject = { ...budget, tenantId };
    const exceeded =
      budget.spentMicros >= budget.capMicros && (await this.budgets.claimNotice(q, subject, 'exceeded', month.key));
    const warned =
      budget.spentMicros >= budget.capMicros * BUDGET_ALERT_RATIO &&
      (await this.budgets.claimNotice(q, subject, 'warning', month.key));
    const level: BudgetNoticeLevel | null = exceeded ? 'exceeded' : warned ? 'warning' : null;
    if (!level) return;
    await this.outbox.add(q, BillingNoticeV1, {
      noticeId: `budget_${level}:${tenantId}:${budget.scope}:${budget.subjectId || '-'}:${month.key}:${budget.capMicros}`,
      tenantId,
      occurredAt: now.toISOString(),
      kind: level === 'exceeded' ? 'budget_exceeded' : 'budget_warning',
      scope: budget.scope,
      subjectId: budget.scope === 'tenant' ? null : budget.subjectId,
      capMicros: budget.capMicros,
      spentMicros: budget.spentMicros,
      period: month.key,
      resetAt: month.resetAt.toISOString(),
    });
    this.logger.warn(
      { tenantId, scope: budget.scope, subjectId: budget.subjectId, spent: budget.spentMicros, cap: budget.capMicros },
      level === 'exceeded' ? 'Budget used up: notice sent' : 'Budget alert: 80% of the monthly budget is spent',
    );
  }

  private async writeGate(tenantId: string, gate: Record<string, string>): Promise<void> {
    const key = billingGateKey(tenantId);
    const tx = this.redis.multi().del(key);
    if (Object.keys(gate).length) tx.hset(key, gate);
    const results = await tx.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('The billing gate could not be written');
  }
}
