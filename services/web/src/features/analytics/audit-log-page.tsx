import { useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { AUDIT_ACTIONS, type AuditAction } from '@parley/contracts';
import { analyticsApi } from '../../api/analytics-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button } from '../../ui/ui';

const instant = (day: string, end: boolean) =>
  day ? new Date(Date.parse(`${day}T00:00:00Z`) + (end ? 86_400_000 : 0)).toISOString() : undefined;

/** /admin/audit-log: the tenant's audit log, newest first, with filters, older pages and CSV/JSON export. */
export function AuditLogPage() {
  const { t, date } = useI18n();
  const [action, setAction] = useState<AuditAction | ''>('');
  const [actorId, setActorId] = useState('');
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const [exportError, setExportError] = useState<unknown>(null);
  const filters = {
    action: action || undefined,
    actorId: actorId.trim() || undefined,
    from: instant(fromDay, false),
    to: instant(toDay, true),
  };
  const log = useInfiniteQuery({
    queryKey: ['analytics', 'audit', filters],
    queryFn: ({ pageParam }) => analyticsApi.audit({ ...filters, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];
  const download = async (format: 'csv' | 'json') => {
    setExportError(null);
    try {
      const blob = await analyticsApi.exportAudit({ ...filters, format });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      // The gateway passes no content-disposition back: the file is named here, as the service names it.
      a.download = `audit-log-${new Date().toISOString().slice(0, 10)}.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setExportError(error);
    }
  };
  return (
    <>
      <h1>{t('audit.title')}</h1>
      <form className="filters" aria-label={t('audit.filters')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('audit.action')}{' '}
          <select value={action} onChange={(e) => setAction(e.target.value as AuditAction | '')}>
            <option value="">{t('audit.anyAction')}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('audit.actor')} <input value={actorId} onChange={(e) => setActorId(e.target.value)} />
        </label>
        <label>
          {t('analytics.from')} <input type="date" value={fromDay} onChange={(e) => setFromDay(e.target.value)} />
        </label>
        <label>
          {t('analytics.to')} <input type="date" value={toDay} onChange={(e) => setToDay(e.target.value)} />
        </label>
      </form>
      <p>
        <Button variant="secondary" onClick={() => void download('csv')}>
          {t('audit.exportCsv')}
        </Button>{' '}
        <Button variant="secondary" onClick={() => void download('json')}>
          {t('audit.exportJson')}
        </Button>
      </p>
      {(log.error ?? exportError) && <Alert>{describeError(t, log.error ?? exportError)}</Alert>}
      {log.data && entries.length === 0 && <p className="hint">{t('audit.empty')}</p>}
      {entries.length > 0 && (
        <div className="table-wrap">
          <table className="data" aria-label={t('audit.title')}>
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.target')}</th>
                <th scope="col">{t('audit.address')}</th>
                <th scope="col">{t('audit.requestId')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{date(e.occurredAt)}</td>
                  <td>
                    {e.actor.kind}
                    {e.actor.id ? ` ${e.actor.id}` : ''}
                  </td>
                  <td>{e.action}</td>
                  <td>
                    {e.target.type}
                    {e.target.id ? ` ${e.target.id}` : ''}
                  </td>
                  <td>
                    {e.ip ?? '—'}
                    {e.userAgent ? ` (${e.userAgent})` : ''}
                  </td>
                  <td>{e.requestId ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.hasNextPage && (
        <Button variant="secondary" onClick={() => void log.fetchNextPage()}>
          {t('audit.older')}
        </Button>
      )}
    </>
  );
}
