import type { PublicRoute } from './public-route';

/** Usage analytics and the audit log (issue 16). */
export const ANALYTICS_ROUTES: readonly PublicRoute[] = [];
