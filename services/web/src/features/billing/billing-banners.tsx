import type { BillingOverview, BudgetView } from '@parley/contracts';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/ui';

const WEEK_MS = 7 * 86_400_000;

/** Payment failure (grace period or read-only), a trial ending within a week, budgets at 80% or over. */
export function BillingBanners({ overview, budgets }: { overview: BillingOverview; budgets: BudgetView[] }) {
  const { t, date } = useI18n();
  const { payment, subscription } = overview;
  const trialEnd = subscription?.status === 'trialing' ? subscription.trialEnd : null;
  return (
    <>
      {payment.graceUntil && payment.readOnly && <Alert>{t('billing.readOnly')}</Alert>}
      {payment.graceUntil && !payment.readOnly && (
        <Alert>{t('billing.paymentFailed', { date: date(payment.graceUntil, false) })}</Alert>
      )}
      {trialEnd && new Date(trialEnd).getTime() - Date.now() < WEEK_MS && (
        <Alert tone="info">{t('billing.trialEnds', { date: date(trialEnd, false) })}</Alert>
      )}
      {budgets.some((b) => b.exceeded) && <Alert>{t('billing.budgetExceeded')}</Alert>}
      {!budgets.some((b) => b.exceeded) && budgets.some((b) => b.alert) && (
        <Alert tone="info">{t('billing.budgetAlert')}</Alert>
      )}
    </>
  );
}
