import { usageQuerySchema, usageReportSchema } from '../../analytics/http/usage-api.schema';
import type { PublicRoute } from './public-route';

const analytics = (path: string) => ({ service: 'analytics', path }) as const;

/** Usage analytics and the audit log (issue 16): `/api/v1/analytics/X` → the analytics service's `/analytics/X`. */
export const ANALYTICS_ROUTES: readonly PublicRoute[] = [
  {
    id: 'analytics.usage',
    method: 'GET',
    path: '/api/v1/analytics/usage',
    tag: 'analytics',
    summary: 'Usage per UTC day, member, model, API key or channel (admins: the tenant; others: their own)',
    description:
      'Active people (daily, weekly, monthly), conversations, messages, tokens, cost, audio seconds, web app ' +
      'versus API traffic and top skills for a range of UTC days (default: the last 30, at most 366). Tokens, ' +
      'cost and audio are the sum of the `usage.recorded.v1` events recorded in the range: the same events ' +
      'billing meters. Owners and admins see the tenant; members, billing users and API keys their own usage.',
    access: { kind: 'authenticated', scope: 'stats:read' },
    rateLimit: 'principal',
    upstream: analytics('/analytics/usage'),
    request: { query: usageQuerySchema },
    responses: [{ status: 200, description: 'The usage report', schema: usageReportSchema, name: 'UsageReportDto' }],
    problems: [400, 401, 403, 429, 503, 504],
  },
];
