import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { BudgetView } from '@parley/contracts';
import { billingApi } from '../../api/billing-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, TextField } from '../../ui/ui';

export const dollars = (micros: number) => `$${(micros / 1_000_000).toFixed(2)}`;

/** The organisation's monthly budget: this month's spend against it, and a form to set or remove it. */
export function BudgetSettings({ budgets }: { budgets: BudgetView[] }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const tenantBudget = budgets.find((b) => b.scope === 'tenant');
  const [amount, setAmount] = useState('');
  const save = useMutation({
    mutationFn: (cap: number | null) => billingApi.putBudget({ scope: 'tenant', monthlyCapMicros: cap }),
    onSuccess: async () => {
      setAmount('');
      await queryClient.invalidateQueries({ queryKey: ['billing'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(Math.round(Number(amount) * 1_000_000));
  };
  return (
    <section aria-labelledby="budget-title">
      <h2 id="budget-title">{t('billing.budget')}</h2>
      <p>
        {tenantBudget
          ? t('billing.budgetUsage', {
              spent: dollars(tenantBudget.spentMicros),
              cap: dollars(tenantBudget.monthlyCapMicros),
            })
          : t('billing.noBudget')}
      </p>
      <form onSubmit={submit}>
        <TextField
          label={t('billing.budgetAmount')}
          type="number"
          min="0"
          step="0.01"
          required
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
        />
        <Button type="submit" disabled={save.isPending}>
          {t('billing.saveBudget')}
        </Button>
        {tenantBudget && (
          <Button variant="secondary" onClick={() => save.mutate(null)} disabled={save.isPending}>
            {t('billing.removeBudget')}
          </Button>
        )}
      </form>
      {save.error && <Alert>{describeError(t, save.error)}</Alert>}
    </section>
  );
}
