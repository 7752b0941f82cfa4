import type { SamlConnectionInput, SamlConnectionView } from '@parley/contracts';
import { useMutation } from '@tanstack/react-query';
import { ssoApi } from '../../api/sso-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button } from '../../ui/ui';
import { SigningKeyRotation } from './signing-key-rotation';
import { LastLoginPreview } from './test-trace';

/** A connection as a PUT body: what the view shows, with `enabled` (and single logout) as asked. */
export function connectionInput(
  view: SamlConnectionView,
  enabled: boolean,
  singleLogout = view.idp.singleLogout ?? false,
): SamlConnectionInput {
  const { entityId, ssoUrl, sloUrl, certificates } = view.idp;
  return {
    protocol: 'saml',
    name: view.name,
    enabled,
    idp: { entityId, ssoUrl, ...(sloUrl ? { sloUrl } : {}), certificates },
    attributeMapping: view.attributeMapping,
    defaultRole: view.defaultRole === 'owner' ? 'member' : view.defaultRole,
    groupRoles: view.groupRoles,
    allowIdpInitiated: view.idp.allowIdpInitiated ?? false,
    singleLogout,
    signAuthnRequests: view.idp.signAuthnRequests ?? false,
  };
}

/** The test login of a connection: Keycloak (or any IdP) in a new window, landing on the trace. */
export function testLoginUrl(view: SamlConnectionView): string {
  return `${view.serviceProvider.loginUrl}?test=1`;
}

/**
 * One connection: our values for the IdP admin to copy (and our metadata to download), what we know
 * of the IdP with its certificates' expiries, then Test connection, Enable or Disable, and Delete.
 */
export function ConnectionCard({ view, onChanged }: { view: SamlConnectionView; onChanged: () => Promise<void> }) {
  const { t, date } = useI18n();
  const toggle = useMutation({
    mutationFn: () => ssoApi.replaceConnection(view.id, connectionInput(view, !view.enabled)),
    onSuccess: onChanged,
  });
  // Single logout on or off without setting the connection up again (on needs the IdP's SLO URL).
  const logout = useMutation({
    mutationFn: () =>
      ssoApi.replaceConnection(view.id, connectionInput(view, view.enabled, !(view.idp.singleLogout ?? false))),
    onSuccess: onChanged,
  });
  const remove = useMutation({ mutationFn: () => ssoApi.removeConnection(view.id), onSuccess: onChanged });
  const sp = view.serviceProvider;
  const error = toggle.error ?? logout.error ?? remove.error;
  return (
    <section className="card wide" aria-label={view.name}>
      <h2>
        {view.name} · {view.enabled ? t('sso.enabled') : t('sso.disabled')}
      </h2>
      <h3>{t('sso.ourValues')}</h3>
      <p className="hint">{t('sso.ourValuesHint')}</p>
      <dl className="record">
        <dt>{t('sso.spEntityId')}</dt>
        <dd className="secret">{sp.entityId}</dd>
        <dt>{t('sso.spAcsUrl')}</dt>
        <dd className="secret">{sp.acsUrl}</dd>
        <dt>{t('sso.spMetadataUrl')}</dt>
        <dd className="secret">{sp.metadataUrl}</dd>
        <dt>{t('sso.spSloUrl')}</dt>
        <dd className="secret">{sp.sloUrl}</dd>
      </dl>
      <p>
        <a href={sp.metadataUrl} download="parley-sp-metadata.xml">
          {t('sso.downloadMetadata')}
        </a>
      </p>
      <h3>{t('sso.theirValues')}</h3>
      <dl className="record">
        <dt>{t('sso.idpEntityId')}</dt>
        <dd>{view.idp.entityId}</dd>
        <dt>{t('sso.idpSsoUrl')}</dt>
        <dd>{view.idp.ssoUrl}</dd>
        <dt>{t('sso.idpInitiated')}</dt>
        <dd>{view.idp.allowIdpInitiated ? t('sso.idpInitiatedOn') : t('sso.idpInitiatedOff')}</dd>
        <dt>{t('sso.singleLogout')}</dt>
        <dd>
          {view.idp.singleLogout ? t('sso.singleLogoutOn', { url: view.idp.sloUrl ?? '' }) : t('sso.singleLogoutOff')}
        </dd>
        <dt>{t('sso.signedRequests')}</dt>
        <dd>
          {view.idp.signAuthnRequests || view.idp.singleLogout ? t('sso.signedRequestsOn') : t('sso.signedRequestsOff')}
        </dd>
        {view.idp.metadataUrl && (
          <>
            <dt>{t('sso.metadataUrl')}</dt>
            <dd>
              {view.idp.metadataUrl}
              {view.idp.metadataFetchedAt && ` · ${t('sso.fetchedAt', { time: date(view.idp.metadataFetchedAt) })}`}
              {view.idp.metadataRefreshError && (
                <span role="alert" className="error">
                  {' '}
                  · {t('sso.refreshFailed', { reason: view.idp.metadataRefreshError })}
                </span>
              )}
            </dd>
          </>
        )}
      </dl>
      <ul aria-label={t('sso.certificates')}>
        {view.idp.certificateExpiries.map((expiry, index) => (
          <li key={index}>
            {expiry === null
              ? t('sso.certificateUnreadable', { n: index + 1 })
              : t(new Date(expiry).getTime() < Date.now() ? 'sso.certificateExpired' : 'sso.certificateExpires', {
                  n: index + 1,
                  time: date(expiry),
                })}
          </li>
        ))}
      </ul>
      <SigningKeyRotation view={view} onChanged={onChanged} />
      <LastLoginPreview connectionId={view.id} />
      {error && <Alert>{describeError(t, error)}</Alert>}
      <p>
        <Button variant="secondary" onClick={() => window.open(testLoginUrl(view), '_blank')}>
          {t('sso.testConnection')}
        </Button>{' '}
        <Button onClick={() => toggle.mutate()} disabled={toggle.isPending}>
          {view.enabled ? t('sso.disable') : t('sso.enable')}
        </Button>{' '}
        <Button variant="secondary" onClick={() => logout.mutate()} disabled={logout.isPending}>
          {view.idp.singleLogout ? t('sso.singleLogoutTurnOff') : t('sso.singleLogoutTurnOn')}
        </Button>{' '}
        <Button variant="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
          {t('sso.deleteConnection')}
        </Button>
      </p>
      <p className="hint">{t('sso.testHint')}</p>
    </section>
  );
}
