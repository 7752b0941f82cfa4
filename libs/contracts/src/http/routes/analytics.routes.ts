import { usageQuerySchema, usageReportSchema } from '../../analytics/http/usage-api.schema';
import { analyticsConsentSchema, putAnalyticsConsentBodySchema } from '../../analytics/http/consent-api.schema';
import { auditExportQuerySchema, auditListQuerySchema, auditPageSchema } from '../../audit/http/audit-api.schema';
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
  {
    id: 'analytics.audit.list',
    method: 'GET',
    path: '/api/v1/analytics/audit',
    tag: 'analytics',
    summary: "The tenant's audit log, newest first (owners and admins)",
    description:
      'Every admin action (members, roles, invites, API keys, provider keys, SSO, billing, settings, exports, ' +
      'deletions): who (user, API key or system), what, target, when, address, user agent and request id. ' +
      'Filters: from, to (ISO instants), action, actorId, targetType, targetId; pages of `limit` (at most 200) ' +
      'with `cursor`. Each entry carries its hash and the previous one (a hash chain). 403 for anyone else.',
    access: { kind: 'authenticated', minRole: 'admin' },
    rateLimit: 'principal',
    upstream: analytics('/analytics/audit'),
    request: { query: auditListQuerySchema },
    responses: [{ status: 200, description: 'A page of entries', schema: auditPageSchema, name: 'AuditPageDto' }],
    problems: [400, 401, 403, 429, 503, 504],
  },
  {
    id: 'analytics.audit.export',
    method: 'GET',
    path: '/api/v1/analytics/audit/export',
    tag: 'analytics',
    summary: 'The filtered audit log as a CSV or JSON file (owners and admins; the export is audited)',
    access: { kind: 'authenticated', minRole: 'admin' },
    rateLimit: 'principal',
    upstream: analytics('/analytics/audit/export'),
    request: { query: auditExportQuerySchema },
    responses: [
      {
        status: 200,
        description: '`text/csv` or `application/json` attachment (at most AUDIT_EXPORT_MAX_ROWS entries)',
      },
    ],
    problems: [400, 401, 403, 429, 503, 504],
  },
  {
    id: 'analytics.consent.get',
    method: 'GET',
    path: '/api/v1/analytics/consent',
    tag: 'analytics',
    summary: "Whether the tenant's product analytics leave Parley (owners and admins)",
    access: { kind: 'authenticated', minRole: 'admin' },
    rateLimit: 'principal',
    upstream: analytics('/analytics/consent'),
    responses: [
      { status: 200, description: 'The consent', schema: analyticsConsentSchema, name: 'AnalyticsConsentDto' },
    ],
    problems: [401, 403, 429, 503, 504],
  },
  {
    id: 'analytics.consent.put',
    method: 'PUT',
    path: '/api/v1/analytics/consent',
    tag: 'analytics',
    summary: 'Switch product analytics to PostHog or Mixpanel on or off for the tenant (owners and admins; audited)',
    access: { kind: 'authenticated', minRole: 'admin' },
    rateLimit: 'principal',
    upstream: analytics('/analytics/consent'),
    request: { body: { encoding: 'json', schema: putAnalyticsConsentBodySchema, required: true } },
    responses: [
      { status: 200, description: 'The consent', schema: analyticsConsentSchema, name: 'AnalyticsConsentDto' },
    ],
    problems: [400, 401, 403, 429, 503, 504],
  },
];
