import { SSO_REJECTION_REASONS, SSO_SAML_ROUTES, type SignInDiscovery } from '@parley/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { isApiError } from '../../api/api-error';
import { ssoApi } from '../../api/sso-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, Card, TextField } from '../../ui/ui';
import { field } from './auth-form';
import { LdapSignInForm } from './ldap-sign-in-form';

/** Where an SP-initiated SAML login of an organisation starts, coming back to the app's home. */
export const samlLoginUrl = (tenantSlug: string) =>
  `${SSO_SAML_ROUTES.login(tenantSlug)}?redirectTo=${encodeURIComponent('/')}`;

/** The discovery route is answered by a gateway that knows it; an older one says 404 (then the fallback). */
const discoveryMissing = (error: unknown) => isApiError(error) && (error.status === 404 || error.status === 405);

/**
 * Sign in with single sign-on, email first: the organisation of a verified domain sends its people
 * to its identity provider. Without discovery (or for an unverified domain), the organisation
 * address leads to its SAML login.
 */
export function SsoSignInPage() {
  const { t } = useI18n();
  const [fallback, setFallback] = useState(false);
  const discover = useMutation({
    mutationFn: ssoApi.discover,
    onSuccess: (answer: SignInDiscovery) => {
      if (answer.method === 'sso' && answer.loginUrl && answer.protocol !== 'ldap') {
        window.location.assign(answer.loginUrl);
      }
    },
    onError: (error) => setFallback(discoveryMissing(error)),
  });
  const onEmail = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    discover.mutate(field(new FormData(event.currentTarget), 'email'));
  };
  const onOrganisation = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    window.location.assign(samlLoginUrl(field(new FormData(event.currentTarget), 'tenantSlug').trim()));
  };
  const answer = discover.data;
  return (
    <main className="auth-page" id="main">
      <Card title={t('auth.ssoTitle')}>
        <form onSubmit={onEmail}>
          <TextField label={t('auth.email')} name="email" type="email" autoComplete="username" required />
          {discover.isError && !fallback && <Alert>{describeError(t, discover.error)}</Alert>}
          <Button type="submit" disabled={discover.isPending}>
            {discover.isPending ? t('auth.working') : t('auth.continue')}
          </Button>
        </form>
        {answer?.method === 'password' && <Alert tone="info">{t('auth.ssoNotUsed')}</Alert>}
        {answer?.method === 'sso' && (
          <Alert tone="info">
            {t('auth.ssoOrg', { name: answer.tenantName })} {!answer.passwordAllowed && t('auth.ssoRequired')}
          </Alert>
        )}
        {answer?.method === 'sso' && answer.protocol === 'ldap' && (
          <LdapSignInForm tenantSlug={answer.tenantSlug} email={discover.variables ?? ''} />
        )}
        {(fallback || answer?.method === 'password') && (
          <form onSubmit={onOrganisation}>
            <p className="hint">{t('auth.ssoByOrganisation')}</p>
            <TextField
              label={t('auth.ssoOrgAddress')}
              name="tenantSlug"
              pattern="[a-z0-9\-]+"
              autoComplete="organization"
              required
            />
            <Button type="submit">{t('auth.ssoGo')}</Button>
          </form>
        )}
        <div className="links">
          <Link to="/sign-in">{t('auth.usePassword')}</Link>
        </div>
      </Card>
    </main>
  );
}

/** The words of a refused SSO login (`/sign-in?sso_error=<reason>`), or nothing without one. */
export function SsoErrorNotice() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const reason = params.get('sso_error');
  if (reason === null) return null;
  const known = SSO_REJECTION_REASONS.find((r) => r === reason);
  return (
    <Alert>{known ? t('auth.ssoRefused', { reason: t(`sso.reason.${known}`) }) : t('auth.ssoRefusedUnknown')}</Alert>
  );
}

/**
 * "Continue with Google / GitHub / Microsoft / Okta": the providers the operator turned on, each a
 * plain link (the browser leaves for the provider and comes back signed in, or to this page with
 * `?sso_error=`). Nothing when none is on or the list cannot be read.
 */
export function SocialSignInButtons() {
  const { t } = useI18n();
  const providers = useQuery({ queryKey: ['social-providers'], queryFn: ssoApi.socialProviders, retry: false });
  const list = providers.data?.providers ?? [];
  if (list.length === 0) return null;
  return (
    <div className="social-sign-in">
      {list.map((provider) => (
        <a key={provider.id} className="btn btn-secondary" href={`${provider.loginUrl}?redirectTo=%2F`}>
          {t('auth.continueWith', { name: provider.name })}
        </a>
      ))}
    </div>
  );
}
