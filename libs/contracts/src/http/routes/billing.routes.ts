import type { PublicRoute } from './public-route';

/** Billing: plans, Checkout, Portal, usage and budgets (issue 14). */
export const BILLING_ROUTES: readonly PublicRoute[] = [];
