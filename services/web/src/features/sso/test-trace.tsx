import type { SsoLoginTrace } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ssoApi } from '../../api/sso-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/ui';

/** The trace of one login attempt, looked up among the tenant's connections' traces by its id. */
async function findTrace(traceId: string): Promise<SsoLoginTrace | null> {
  const { connections } = await ssoApi.connections();
  for (const connection of connections) {
    const { traces } = await ssoApi.traces(connection.id);
    const found = traces.find((trace) => trace.id === traceId);
    if (found) return found;
  }
  return null;
}

/**
 * Where a test login lands (`/admin/sso?test=<traceId>`): the outcome and why, each check passed
 * or failed, and the attributes the IdP sent (to check the attribute mapping against).
 */
export function TestTrace({ traceId }: { traceId: string }) {
  const { t, date } = useI18n();
  const trace = useQuery({ queryKey: ['sso', 'trace', traceId], queryFn: () => findTrace(traceId) });
  if (trace.error) return <Alert>{describeError(t, trace.error)}</Alert>;
  if (trace.isPending) return <p>{t('app.loading')}</p>;
  const found = trace.data;
  if (!found) return <Alert>{t('sso.traceNotFound', { id: traceId })}</Alert>;
  const attributes = Object.entries(found.attributes);
  return (
    <section className="card wide" aria-label={t('sso.testResult')}>
      <h2>{t('sso.testResult')}</h2>
      {found.outcome === 'success' ? (
        <Alert tone="success">{t('sso.testPassed')}</Alert>
      ) : (
        <Alert>{t('sso.testFailed', { reason: found.reason ? t(`sso.reason.${found.reason}`) : '' })}</Alert>
      )}
      <p className="hint">
        {t('sso.traceId', { id: found.id })} · {date(found.createdAt)}
      </p>
      <h3>{t('sso.checks')}</h3>
      <ol aria-label={t('sso.checks')}>
        {found.steps.map((step, index) => (
          <li key={index}>
            {step.ok ? t('sso.checkPassed', { check: step.check }) : t('sso.checkFailed', { check: step.check })}
            {step.detail && ` — ${step.detail}`}
          </li>
        ))}
      </ol>
      <h3>{t('sso.attributesReceived')}</h3>
      {found.nameId && <p>{t('sso.nameId', { id: found.nameId })}</p>}
      {attributes.length === 0 ? (
        <p>{t('sso.noAttributes')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('sso.attribute')}</th>
              <th scope="col">{t('sso.values')}</th>
            </tr>
          </thead>
          <tbody>
            {attributes.map(([name, values]) => (
              <tr key={name}>
                <td>{name}</td>
                <td>{values.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** What the last login at a connection sent, to check the attribute mapping against. */
export function LastLoginPreview({ connectionId }: { connectionId: string }) {
  const { t, date } = useI18n();
  const traces = useQuery({ queryKey: ['sso', 'traces', connectionId], queryFn: () => ssoApi.traces(connectionId) });
  const last = traces.data?.traces[0];
  if (!last) return null;
  return (
    <details>
      <summary>{t('sso.lastLogin', { time: date(last.createdAt) })}</summary>
      <p>
        {last.outcome === 'success'
          ? t('sso.lastLoginPassed')
          : t('sso.testFailed', { reason: last.reason ? t(`sso.reason.${last.reason}`) : '' })}{' '}
        <Link to={`?test=${last.id}`}>{t('sso.showChecks')}</Link>
      </p>
      <ul aria-label={t('sso.attributesReceived')}>
        {Object.entries(last.attributes).map(([name, values]) => (
          <li key={name}>
            {name}: {values.join(', ')}
          </li>
        ))}
      </ul>
    </details>
  );
}
