import { useQuery } from '@tanstack/react-query';
import { adminApi } from '../../api/endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/ui';

const dollars = (micros: number) => `$${(micros / 1_000_000).toFixed(4)}`;

/** Tokens and cost per day, from the stats API; the month's quota above. */
export function UsagePage() {
  const { t, date } = useI18n();
  const stats = useQuery({ queryKey: ['admin', 'stats'], queryFn: adminApi.stats });
  const quota = useQuery({ queryKey: ['admin', 'quota'], queryFn: adminApi.quota });
  const days = stats.data?.days.filter((d) => d.messages > 0) ?? [];
  return (
    <>
      <h1>{t('admin.usage')}</h1>
      {quota.data && (
        <p>
          {t('admin.quota', {
            used: quota.data.tokensUsed,
            limit: quota.data.tokensPerMonth,
            reset: date(quota.data.resetAt, false),
          })}
        </p>
      )}
      {(stats.error ?? quota.error) && <Alert>{describeError(t, stats.error ?? quota.error)}</Alert>}
      {stats.data && days.length === 0 && <p className="hint">{t('admin.noUsage')}</p>}
      {days.length > 0 && (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('admin.day')}</th>
                <th scope="col">{t('admin.messages')}</th>
                <th scope="col">{t('admin.tokens')}</th>
                <th scope="col">{t('admin.cost')}</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date}>
                  <td>{d.date}</td>
                  <td>{d.messages}</td>
                  <td>{d.promptTokens + d.completionTokens}</td>
                  <td>{dollars(d.costMicros)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
