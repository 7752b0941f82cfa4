import { useMutation, useQuery } from '@tanstack/react-query';
import { billingApi } from '../../api/billing-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button } from '../../ui/ui';
import { BillingBanners } from './billing-banners';
import { BudgetSettings, dollars } from './budget-settings';

/** /settings/billing (owners and billing members): plan, seats, usage, budget, invoices, Checkout and Portal. */
export default function BillingPage() {
  const { t, date } = useI18n();
  const overview = useQuery({ queryKey: ['billing', 'overview'], queryFn: billingApi.overview });
  const budgets = useQuery({ queryKey: ['billing', 'budgets'], queryFn: billingApi.budgets });
  const go = ({ url }: { url: string }) => window.location.assign(url);
  const checkout = useMutation({
    mutationFn: (plan: 'pro' | 'enterprise') => billingApi.checkout({ plan }),
    onSuccess: go,
  });
  const portal = useMutation({ mutationFn: billingApi.portal, onSuccess: go });
  const error = overview.error ?? budgets.error ?? checkout.error ?? portal.error;
  const data = overview.data;
  const sub = data?.subscription;
  return (
    <main id="main" className="page">
      <h1>{t('billing.title')}</h1>
      {error && <Alert>{describeError(t, error)}</Alert>}
      {data && <BillingBanners overview={data} budgets={budgets.data?.items ?? []} />}
      {data && (
        <section aria-labelledby="plan-title">
          <h2 id="plan-title">{t('billing.plan')}</h2>
          <p>{t('billing.currentPlan', { plan: data.plan })}</p>
          {sub && (
            <p>
              {t('billing.subscription', {
                status: sub.status,
                seats: sub.seats,
                end: sub.currentPeriodEnd ? date(sub.currentPeriodEnd, false) : '—',
              })}
              {sub.cancelAtPeriodEnd && ` ${t('billing.cancelsAtPeriodEnd')}`}
            </p>
          )}
          {data.plan !== 'enterprise' && (
            <Button
              onClick={() => checkout.mutate(data.plan === 'pro' ? 'enterprise' : 'pro')}
              disabled={checkout.isPending}
            >
              {data.plan === 'pro' ? t('billing.upgradeEnterprise') : t('billing.upgradePro')}
            </Button>
          )}
          {sub && (
            <Button variant="secondary" onClick={() => portal.mutate()} disabled={portal.isPending}>
              {t('billing.manage')}
            </Button>
          )}
          <h2>{t('billing.usage')}</h2>
          <p>
            {t('billing.usageLine', {
              tokens: data.usage.tokens,
              seconds: Math.round(data.usage.audioSeconds),
              cost: dollars(data.usage.costMicros),
            })}
          </p>
        </section>
      )}
      {budgets.data && <BudgetSettings budgets={budgets.data.items} />}
      {data && (
        <section aria-labelledby="invoices-title">
          <h2 id="invoices-title">{t('billing.invoices')}</h2>
          {data.invoices.length === 0 ? (
            <p className="hint">{t('billing.noInvoices')}</p>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">{t('billing.invoiceNumber')}</th>
                    <th scope="col">{t('billing.invoiceStatus')}</th>
                    <th scope="col">{t('billing.invoiceAmount')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.invoices.map((invoice) => (
                    <tr key={invoice.id}>
                      <td>
                        {invoice.hostedInvoiceUrl ? (
                          <a href={invoice.hostedInvoiceUrl}>{invoice.number ?? invoice.id}</a>
                        ) : (
                          (invoice.number ?? invoice.id)
                        )}
                      </td>
                      <td>{invoice.status}</td>
                      <td>
                        {(invoice.amountDue / 100).toFixed(2)} {invoice.currency.toUpperCase()}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </main>
  );
}
