import type { SamlConnectionView } from '@parley/contracts';
import { useMutation } from '@tanstack/react-query';
import { ssoApi } from '../../api/sso-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button } from '../../ui/ui';

/** A PEM certificate as a download link's address. */
function certificateHref(pem: string): string {
  return `data:application/x-pem-file;charset=utf-8,${encodeURIComponent(pem)}`;
}

/**
 * Our SAML signing key of a connection that signs its requests, and its rotation: prepare the next
 * key (our metadata then publishes both certificates), give it to the IdP, switch to it (or discard it).
 */
export function SigningKeyRotation({ view, onChanged }: { view: SamlConnectionView; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const prepare = useMutation({ mutationFn: () => ssoApi.prepareSigningKey(view.id), onSuccess: onChanged });
  const activate = useMutation({ mutationFn: () => ssoApi.activateSigningKey(view.id), onSuccess: onChanged });
  const discard = useMutation({ mutationFn: () => ssoApi.discardSigningKey(view.id), onSuccess: onChanged });
  const current = view.idp.spCertificate;
  if (!current || !(view.idp.signAuthnRequests || view.idp.singleLogout)) return null;
  const next = view.idp.spNextCertificate;
  const error = prepare.error ?? activate.error ?? discard.error;
  return (
    <section aria-label={t('sso.signingKey')}>
      <h3>{t('sso.signingKey')}</h3>
      <p>
        <a href={certificateHref(current)} download="parley-sp-signing.crt">
          {t('sso.signingKeyDownload')}
        </a>
      </p>
      {next ? (
        <>
          <p role="status">{t('sso.signingKeyPending')}</p>
          <p>
            <a href={certificateHref(next)} download="parley-sp-signing-next.crt">
              {t('sso.signingKeyDownloadNext')}
            </a>
          </p>
          <p>
            <Button onClick={() => activate.mutate()} disabled={activate.isPending}>
              {t('sso.signingKeyActivate')}
            </Button>{' '}
            <Button variant="secondary" onClick={() => discard.mutate()} disabled={discard.isPending}>
              {t('sso.signingKeyDiscard')}
            </Button>
          </p>
        </>
      ) : (
        <p>
          <Button variant="secondary" onClick={() => prepare.mutate()} disabled={prepare.isPending}>
            {t('sso.signingKeyPrepare')}
          </Button>
        </p>
      )}
      <p className="hint">{t('sso.signingKeyHint')}</p>
      {error && <Alert>{describeError(t, error)}</Alert>}
    </section>
  );
}
