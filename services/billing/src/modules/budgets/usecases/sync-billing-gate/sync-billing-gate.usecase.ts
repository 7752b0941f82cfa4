import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { BILLING_GATE_FIELDS, BUDGET_ALERT_RATIO, billingGateKey, type BudgetScope } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { REDIS } from '@parley/tenancy';
import { BudgetsRepository } from '../../budgets.repository';
import { monthOf } from '../../month-window';

const fieldOf = (scope: BudgetScope, subjectId: string): string =>
  scope === 'tenant'
    ? BILLING_GATE_FIELDS.tenant
    : scope === 'member'
      ? BILLING_GATE_FIELDS.member(subjectId)
      : BILLING_GATE_FIELDS.apiKey(subjectId);

/**
 * Rewrites a tenant's billing gate (see BILLING_GATE_FIELDS) from the database: every budget this
 * month's spend has reached gets its field (the reset time), the grace period's end goes in
 * `payment`, and nothing else stays — in one MULTI, so a reader sees the old gate or the new one.
 * Runs after each usage event, each payment webhook and each budget change; it is idempotent, so
 * a redelivery or a retry after a failure converges. Also raises each budget's 80% alert once a month.
 */
@Injectable()
export class SyncBillingGateUseCase {
  constructor(
    private readonly budgets: BudgetsRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(tenantId: string, now = new Date()): Promise<Record<string, string>> {
    const month = monthOf(now);
    const [budgets, graceUntil] = await Promise.all([
      this.budgets.withSpend(tenantId, month.start),
      this.budgets.graceUntil(tenantId),
    ]);
    const gate: Record<string, string> = {};
    if (graceUntil) gate[BILLING_GATE_FIELDS.payment] = String(Math.floor(graceUntil.getTime() / 1000));
    for (const budget of budgets) {
      if (budget.spentMicros >= budget.capMicros) {
        gate[fieldOf(budget.scope, budget.subjectId)] = String(Math.floor(month.resetAt.getTime() / 1000));
      }
      if (
        budget.spentMicros >= budget.capMicros * BUDGET_ALERT_RATIO &&
        budget.alertMonth !== month.key &&
        (await this.budgets.raiseAlert(tenantId, budget.scope, budget.subjectId, month.key))
      ) {
        this.logger.warn(
          {
            tenantId,
            scope: budget.scope,
            subjectId: budget.subjectId,
            spent: budget.spentMicros,
            cap: budget.capMicros,
          },
          'Budget alert: 80% of the monthly budget is spent',
        );
      }
    }
    const key = billingGateKey(tenantId);
    const tx = this.redis.multi().del(key);
    if (Object.keys(gate).length) tx.hset(key, gate);
    const results = await tx.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('The billing gate could not be written');
    return gate;
  }
}
