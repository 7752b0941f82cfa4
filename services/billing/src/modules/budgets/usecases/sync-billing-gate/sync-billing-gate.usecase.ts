import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { DataSource, QueryRunner } from 'typeorm';
import { OutboxWriter } from '@parley/bus';
import {
  BILLING_GATE_FIELDS,
  BillingNoticeV1,
  BUDGET_ALERT_RATIO,
  billingCapsKey,
  billingGateKey,
  billingReservationExpiryKey,
  billingReservationsKey,
  billingReservedKey,
  RELEASE_RESERVATION_LUA,
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
 * KEYS: the gate, the caps, the reserved totals, the reservations and their expiry. ARGV: the
 * number of gate field/value pairs, the pairs, the number of caps pairs, the pairs, then the
 * recorded reservation ids. Rewrites the gate and the caps and releases the recorded reservations
 * in one script: a reader sees each cost as reserved (before) or as spent (after), never both or
 * neither.
 */
const WRITE_GATE = `${RELEASE_RESERVATION_LUA}
redis.call('DEL', KEYS[1], KEYS[2])
local i = 1
for _, key in ipairs({KEYS[1], KEYS[2]}) do
  local n = tonumber(ARGV[i])
  if n > 0 then redis.call('HSET', key, unpack(ARGV, i + 1, i + 2 * n)) end
  i = i + 1 + 2 * n
end
local released = 0
for j = i, #ARGV do
  if release(KEYS[3], KEYS[4], KEYS[5], ARGV[j]) then released = released + 1 end
end
return released`;

interface WithGateScript {
  parleyBillingWriteGate(
    gateKey: string,
    capsKey: string,
    reservedKey: string,
    reservationsKey: string,
    expiryKey: string,
    ...args: string[]
  ): Promise<number>;
}

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
 *
 * The strict cap: with the gate go the caps (every budget's cap and spend, which admission checks
 * `spent + reserved + worstCase` against), and the requests' reservations whose usage the ledger
 * now holds are released — read in the same statement as the spend, written in the same script.
 */
@Injectable()
export class SyncBillingGateUseCase {
  constructor(
    private readonly budgets: BudgetsRepository,
    private readonly outbox: OutboxWriter,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    if (!('parleyBillingWriteGate' in redis)) {
      redis.defineCommand('parleyBillingWriteGate', { numberOfKeys: 5, lua: WRITE_GATE });
    }
  }

  async execute(tenantId: string, now = new Date()): Promise<Record<string, string>> {
    const month = monthOf(now);
    const q = this.db.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      await this.budgets.lockTenant(q, tenantId);
      const open = await this.redis.hkeys(billingReservationsKey(tenantId));
      const { budgets, recorded } = await this.budgets.spendAndRecorded(tenantId, month.start, open, q);
      const graceUntil = await this.budgets.graceUntil(tenantId, q);
      const gate: Record<string, string> = {};
      const caps: Record<string, string> = {};
      const resetAt = String(Math.floor(month.resetAt.getTime() / 1000));
      if (graceUntil) gate[BILLING_GATE_FIELDS.payment] = String(Math.floor(graceUntil.getTime() / 1000));
      for (const budget of budgets) {
        const field = fieldOf(budget.scope, budget.subjectId);
        if (budget.spentMicros >= budget.capMicros) gate[field] = resetAt;
        caps[field] = `${budget.capMicros} ${budget.spentMicros} ${resetAt}`;
        await this.notify(q, tenantId, budget, month, now);
      }
      await this.writeGate(tenantId, gate, caps, recorded);
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

  private async writeGate(
    tenantId: string,
    gate: Record<string, string>,
    caps: Record<string, string>,
    recorded: string[],
  ): Promise<void> {
    const pairs = (fields: Record<string, string>) => [
      String(Object.keys(fields).length),
      ...Object.entries(fields).flat(),
    ];
    await (this.redis as unknown as WithGateScript).parleyBillingWriteGate(
      billingGateKey(tenantId),
      billingCapsKey(tenantId),
      billingReservedKey(tenantId),
      billingReservationsKey(tenantId),
      billingReservationExpiryKey(tenantId),
      ...pairs(gate),
      ...pairs(caps),
      ...recorded,
    );
  }
}
