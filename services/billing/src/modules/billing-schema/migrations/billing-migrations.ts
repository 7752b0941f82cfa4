import type { SchemaMigration, SchemaMigrationPlan } from '@parley/tenancy';
import { BillingInit0001 } from './0001-billing-init.migration';
import { Budgets0002 } from './0002-budgets.migration';
import { Seats0003 } from './0003-seats.migration';
import { BudgetNotices0004 } from './0004-budget-notices.migration';
import { LedgerSource0005 } from './0005-ledger-source.migration';

/** Billing schema migrations, in order. Append only. */
export const BILLING_MIGRATIONS: readonly SchemaMigration[] = [
  new BillingInit0001(),
  new Budgets0002(),
  new Seats0003(),
  new BudgetNotices0004(),
  new LedgerSource0005(),
];

export const BILLING_SCHEMA_PLAN: SchemaMigrationPlan = {
  schema: 'billing',
  ledgerTable: 'billing_migrations',
  lockKey: 7_134_301,
  migrations: BILLING_MIGRATIONS,
};
