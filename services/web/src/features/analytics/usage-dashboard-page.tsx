import { UsageReportView } from './usage-report-view';

/** /admin/analytics: the tenant's usage (owners and admins). */
export function UsageDashboardPage() {
  return <UsageReportView title="analytics.dashboard" />;
}
