import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ssoApi } from '../../api/sso-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/ui';

/** The link of a domain verification mail: confirms the domain (no sign-in needed: the token is the proof). */
export function VerifyDomainPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const confirm = useMutation({ mutationFn: () => ssoApi.confirmDomain(token) });
  const { mutate } = confirm;
  useEffect(() => {
    if (token) mutate();
  }, [token, mutate]);
  return (
    <main id="main" className="auth-page">
      <h1>{t('sso.verifyDomainTitle')}</h1>
      {confirm.isPending && <p>{t('app.loading')}</p>}
      {confirm.isSuccess && <Alert tone="success">{t('sso.domainConfirmed', { domain: confirm.data.domain })}</Alert>}
      {confirm.error && <Alert>{describeError(t, confirm.error)}</Alert>}
      {!token && <Alert>{t('error.domain_verification_failed')}</Alert>}
      <p>
        <Link to="/">{t('app.backHome')}</Link>
      </p>
    </main>
  );
}
export default VerifyDomainPage;
