import type { BillingOverview, BudgetView, CheckoutBody, PutBudgetBody } from '@parley/contracts';
import { api } from './client';

/** The billing routes the billing page calls (owners and billing members). */
export const billingApi = {
  overview: () => api.get<BillingOverview>('/api/v1/billing'),
  checkout: (body: Partial<CheckoutBody> & Pick<CheckoutBody, 'plan'>) =>
    api.post<{ url: string }>('/api/v1/billing/checkout', body),
  portal: () => api.post<{ url: string }>('/api/v1/billing/portal', { returnPath: '/settings/billing' }),
  budgets: () => api.get<{ items: BudgetView[] }>('/api/v1/billing/budgets'),
  putBudget: (body: PutBudgetBody) => api.put<{ items: BudgetView[] }>('/api/v1/billing/budgets', body),
};
