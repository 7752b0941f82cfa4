import type {
  AnalyticsConsent,
  AuditExportQuery,
  AuditListQuery,
  AuditPage,
  UsageQuery,
  UsageReport,
} from '@parley/contracts';
import { api } from './client';

/** Query string of defined values only. */
function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== '') as [string, string | number][];
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
}

/** The analytics service's routes (usage, audit log, consent), typed by @parley/contracts. */
export const analyticsApi = {
  usage: (q: UsageQuery) => api.get<UsageReport>(`/api/v1/analytics/usage${query(q)}`),
  audit: (q: AuditListQuery) => api.get<AuditPage>(`/api/v1/analytics/audit${query(q)}`),
  exportAudit: (q: AuditExportQuery) => api.download(`/api/v1/analytics/audit/export${query(q)}`),
  consent: () => api.get<AnalyticsConsent>('/api/v1/analytics/consent'),
  setConsent: (enabled: boolean) => api.put<AnalyticsConsent>('/api/v1/analytics/consent', { enabled }),
};
