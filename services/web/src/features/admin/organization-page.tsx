import { useQuery } from '@tanstack/react-query';
import { adminApi } from '../../api/endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/ui';

/** The organisation as the tenant service holds it (`GET /api/v1/tenant`): name, address, plan, status. */
export function OrganizationPage() {
  const { t, date } = useI18n();
  const tenant = useQuery({ queryKey: ['admin', 'tenant'], queryFn: adminApi.tenant });
  const org = tenant.data;
  return (
    <>
      <h1>{t('admin.organization')}</h1>
      {tenant.error && <Alert>{describeError(t, tenant.error)}</Alert>}
      {org && (
        <dl className="facts">
          <dt>{t('org.name')}</dt>
          <dd>{org.name}</dd>
          <dt>{t('org.slug')}</dt>
          <dd>{org.slug}</dd>
          <dt>{t('org.plan')}</dt>
          <dd>{org.plan}</dd>
          <dt>{t('org.status')}</dt>
          <dd>{org.status}</dd>
          <dt>{t('org.created')}</dt>
          <dd>{date(org.createdAt, false)}</dd>
          <dt>{t('org.id')}</dt>
          <dd className="mono">{org.tenantId}</dd>
        </dl>
      )}
      <p className="hint">{t('org.renameHint')}</p>
    </>
  );
}
