import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { USAGE_GROUP_BY, type UsageFigures, type UsageGroupBy } from '@parley/contracts';
import { analyticsApi } from '../../api/analytics-endpoints';
import { describeError } from '../../i18n/error-text';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/ui';
import { UsageChart } from './usage-chart';

const dollars = (micros: number) => `$${(micros / 1_000_000).toFixed(4)}`;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const GROUP_LABEL: Record<UsageGroupBy, MessageKey> = {
  day: 'analytics.byDay',
  member: 'analytics.byMember',
  model: 'analytics.byModel',
  apiKey: 'analytics.byApiKey',
  channel: 'analytics.byChannel',
};

/** The usage report of a range (the tenant's for admins, one's own otherwise): totals, a chart per day, a table per group. */
export function UsageReportView({ title }: { title: MessageKey }) {
  const { t } = useI18n();
  const today = new Date();
  const [from, setFrom] = useState(isoDay(new Date(today.getTime() - 29 * 86_400_000)));
  const [to, setTo] = useState(isoDay(today));
  const [groupBy, setGroupBy] = useState<UsageGroupBy>('day');
  const report = useQuery({
    queryKey: ['analytics', 'usage', from, to, groupBy],
    queryFn: () => analyticsApi.usage({ from, to, groupBy }),
  });
  const r = report.data;
  const series = useMemo(
    () =>
      r && r.groupBy === 'day'
        ? [
            { label: t('analytics.messages'), values: r.groups.map((g) => g.messages), stroke: '#2563eb' },
            { label: t('analytics.activePeople'), values: r.groups.map((g) => g.activePeople), stroke: '#16a34a' },
          ]
        : [],
    [r, t],
  );
  const days = useMemo(() => (r && r.groupBy === 'day' ? r.groups.map((g) => g.key ?? '') : []), [r]);
  return (
    <>
      <h1>{t(title)}</h1>
      <form className="filters" aria-label={t('analytics.range')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('analytics.from')} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('analytics.to')} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label>
          {t('analytics.groupBy')}{' '}
          <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as UsageGroupBy)}>
            {USAGE_GROUP_BY.map((g) => (
              <option key={g} value={g}>
                {t(GROUP_LABEL[g])}
              </option>
            ))}
          </select>
        </label>
      </form>
      {report.error && <Alert>{describeError(t, report.error)}</Alert>}
      {r && (
        <>
          <p className="hint">{t(r.scope === 'tenant' ? 'analytics.scopeTenant' : 'analytics.scopeSelf')}</p>
          <dl className="figures" aria-label={t('analytics.totals')}>
            <Figure
              label={t('analytics.activePeopleDwm')}
              value={`${r.activePeople.daily} / ${r.activePeople.weekly} / ${r.activePeople.monthly}`}
            />
            <Figure label={t('analytics.conversations')} value={r.totals.conversations} />
            <Figure label={t('analytics.messages')} value={r.totals.messages} />
            <Figure label={t('analytics.tokens')} value={r.totals.promptTokens + r.totals.completionTokens} />
            <Figure label={t('analytics.cost')} value={dollars(r.totals.costMicros)} />
            <Figure label={t('analytics.audioSeconds')} value={r.totals.audioSeconds} />
            <Figure label={t('analytics.webVsApi')} value={`${r.channels.web.messages} / ${r.channels.api.messages}`} />
          </dl>
          {r.topSkills.length > 0 && (
            <p>
              {t('analytics.topSkills')}: {r.topSkills.map((s) => `${s.skill} (${s.messages})`).join(', ')}
            </p>
          )}
          {days.length > 0 && <UsageChart title={t('analytics.chartTitle')} days={days} series={series} />}
          <GroupTable groups={r.groups} groupBy={r.groupBy} />
        </>
      )}
    </>
  );
}

function Figure({ label, value }: { label: string; value: string | number }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function GroupTable({ groups, groupBy }: { groups: (UsageFigures & { key: string | null })[]; groupBy: UsageGroupBy }) {
  const { t } = useI18n();
  const rows = groupBy === 'day' ? groups.filter((g) => g.messages > 0 || g.usageRecords > 0) : groups;
  if (rows.length === 0) return <p className="hint">{t('analytics.noUsage')}</p>;
  return (
    <div className="table-wrap">
      <table className="data" aria-label={t(GROUP_LABEL[groupBy])}>
        <thead>
          <tr>
            <th scope="col">{t(GROUP_LABEL[groupBy])}</th>
            <th scope="col">{t('analytics.activePeople')}</th>
            <th scope="col">{t('analytics.messages')}</th>
            <th scope="col">{t('analytics.tokens')}</th>
            <th scope="col">{t('analytics.cost')}</th>
            <th scope="col">{t('analytics.audioSeconds')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.key ?? '—'}>
              <th scope="row">{g.key ?? t('analytics.none')}</th>
              <td>{g.activePeople}</td>
              <td>{g.messages}</td>
              <td>{g.promptTokens + g.completionTokens}</td>
              <td>{dollars(g.costMicros)}</td>
              <td>{g.audioSeconds}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
