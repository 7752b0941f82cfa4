import type {
  LdapConnectionInput,
  LdapConnectionView,
  LdapTestResult,
  OidcConnectionInput,
  OidcConnectionView,
} from '@parley/contracts';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent } from 'react';
import { ssoApi } from '../../api/sso-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, TextField } from '../../ui/ui';
import { field } from '../auth/auth-form';
import { LastLoginPreview } from './test-trace';

type View = OidcConnectionView | LdapConnectionView;

/** A connection as a PUT body with `enabled` as asked: its secret left out (the stored one is kept). */
export function protocolConnectionInput(view: View, enabled: boolean): OidcConnectionInput | LdapConnectionInput {
  const common = {
    name: view.name,
    enabled,
    defaultRole: view.defaultRole === 'owner' ? ('member' as const) : view.defaultRole,
    groupRoles: view.groupRoles,
  };
  if (view.protocol === 'oidc') {
    const { clientSecretHint: _hint, ...oidc } = view.oidc;
    return { protocol: 'oidc', ...common, oidc, attributeMapping: view.attributeMapping };
  }
  const { bindPasswordHint: _hint, ...ldap } = view.ldap;
  return { protocol: 'ldap', ...common, ldap };
}

/**
 * An OIDC or LDAP connection: what to give the IdP (OIDC: the redirect URI) or where people sign in
 * (LDAP), its settings with a hint of the secret, the test (OIDC: a test login in a new window that
 * lands on its trace; LDAP: a bind and an optional probe login, each step shown), Enable or
 * Disable, and Delete.
 */
export function ProtocolConnectionCard({ view, onChanged }: { view: View; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const toggle = useMutation({
    mutationFn: () => ssoApi.replaceConnection(view.id, protocolConnectionInput(view, !view.enabled)),
    onSuccess: onChanged,
  });
  const remove = useMutation({ mutationFn: () => ssoApi.removeConnection(view.id), onSuccess: onChanged });
  const error = toggle.error ?? remove.error;
  return (
    <section className="card wide" aria-label={view.name}>
      <h2>
        {view.name} · {view.protocol.toUpperCase()} · {view.enabled ? t('sso.enabled') : t('sso.disabled')}
      </h2>
      {view.protocol === 'oidc' ? (
        <dl className="record">
          <dt>{t('sso.oidcRedirectUri')}</dt>
          <dd className="secret">{view.relyingParty.redirectUri}</dd>
          <dt>{t('sso.oidcIssuer')}</dt>
          <dd>{view.oidc.issuer}</dd>
          <dt>{t('sso.oidcClientId')}</dt>
          <dd>{view.oidc.clientId}</dd>
          <dt>{t('sso.oidcClientSecret')}</dt>
          <dd>{view.oidc.clientSecretHint}</dd>
        </dl>
      ) : (
        <dl className="record">
          <dt>{t('sso.ldapSignInUrl')}</dt>
          <dd className="secret">{view.signInUrl}</dd>
          <dt>{t('sso.ldapUrl')}</dt>
          <dd>
            {view.ldap.url}
            {view.ldap.startTls ? ' · StartTLS' : ''}
          </dd>
          <dt>{t('sso.ldapBindDn')}</dt>
          <dd>{view.ldap.bindDn}</dd>
          <dt>{t('sso.ldapBindPassword')}</dt>
          <dd>{view.ldap.bindPasswordHint}</dd>
          <dt>{t('sso.ldapUserBaseDn')}</dt>
          <dd>{view.ldap.userBaseDn}</dd>
        </dl>
      )}
      <LastLoginPreview connectionId={view.id} />
      {view.protocol === 'ldap' && <LdapTest connectionId={view.id} />}
      {error && <Alert>{describeError(t, error)}</Alert>}
      <p>
        {view.protocol === 'oidc' && (
          <>
            <Button variant="secondary" onClick={() => window.open(`${view.relyingParty.loginUrl}?test=1`, '_blank')}>
              {t('sso.testConnection')}
            </Button>{' '}
          </>
        )}
        <Button onClick={() => toggle.mutate()} disabled={toggle.isPending}>
          {view.enabled ? t('sso.disable') : t('sso.enable')}
        </Button>{' '}
        <Button variant="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
          {t('sso.deleteConnection')}
        </Button>
      </p>
    </section>
  );
}

/** The LDAP test: the service account's bind and search, and a probe login when one is given. */
function LdapTest({ connectionId }: { connectionId: string }) {
  const { t } = useI18n();
  const test = useMutation({
    mutationFn: (probe?: { login: string; password: string }) => ssoApi.testLdap(connectionId, probe),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const login = field(data, 'login').trim();
    const password = field(data, 'password');
    test.mutate(login && password ? { login, password } : undefined);
  };
  const result: LdapTestResult | undefined = test.data;
  return (
    <form onSubmit={submit} aria-label={t('sso.ldapTest')}>
      <p className="hint">{t('sso.ldapTestHint')}</p>
      <TextField label={t('sso.ldapProbeLogin')} name="login" autoComplete="off" />
      <TextField label={t('sso.ldapProbePassword')} name="password" type="password" autoComplete="off" />
      <p>
        <Button type="submit" variant="secondary" disabled={test.isPending}>
          {t('sso.testConnection')}
        </Button>
      </p>
      {test.error && <Alert>{describeError(t, test.error)}</Alert>}
      {result && (
        <div role="status" aria-label={t('sso.testResult')}>
          <p>{result.ok ? t('sso.ldapTestPassed') : t('sso.ldapTestFailed')}</p>
          <ul>
            {result.checks.map((check) => (
              <li key={check.step}>
                {check.ok ? '✓' : '✗'} {check.step}: {check.detail}
              </li>
            ))}
          </ul>
          {result.identity && (
            <p>
              {t('sso.ldapFound', {
                email: result.identity.email,
                name: result.identity.name,
                groups: result.identity.groups.join(', ') || '—',
              })}
            </p>
          )}
        </div>
      )}
    </form>
  );
}
