import { UsageReportView } from './usage-report-view';

/** /usage: one's own usage (everyone; the API scopes it to the person). */
export default function MyUsagePage() {
  return (
    <main className="page" id="main">
      <UsageReportView title="analytics.myUsage" />
    </main>
  );
}
