import type { SsoConnectionView, SsoProtocol } from '@parley/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ComponentType } from 'react';
import { useSearchParams } from 'react-router';
import { ssoApi } from '../../api/sso-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button } from '../../ui/ui';
import { ConnectionCard } from './connection-card';
import { IDENTITY_PROVIDERS, protocolAvailable, type IdentityProviderChoice } from './identity-providers';
import { LdapConnectionForm } from './ldap-connection-form';
import { OidcConnectionForm } from './oidc-connection-form';
import { ProtocolConnectionCard } from './protocol-connection-card';
import { SamlConnectionForm } from './saml-connection-form';
import { TestTrace } from './test-trace';

interface ProtocolFormProps {
  provider: IdentityProviderChoice;
  onSaved: (connection: SsoConnectionView) => void;
}

/** The form of each protocol the API accepts (a protocol added to `SSO_PROTOCOLS` needs its form here). */
const PROTOCOL_FORMS: Record<SsoProtocol, ComponentType<ProtocolFormProps>> = {
  saml: SamlConnectionForm,
  oidc: OidcConnectionForm,
  ldap: LdapConnectionForm,
};

/** Single sign-on: the tenant's connections, the setup wizard, and a test login's trace. */
export function SsoPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const testId = params.get('test');
  const queryClient = useQueryClient();
  const connections = useQuery({ queryKey: ['sso', 'connections'], queryFn: ssoApi.connections });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['sso'] });
  const [wizard, setWizard] = useState(false);
  const list = connections.data?.connections ?? [];
  return (
    <>
      <h1>{t('sso.title')}</h1>
      <p className="hint">{t('sso.intro')}</p>
      {testId && <TestTrace traceId={testId} />}
      {connections.error && <Alert>{describeError(t, connections.error)}</Alert>}
      {connections.isSuccess && list.length === 0 && !wizard && <p>{t('sso.noConnections')}</p>}
      {list.map((view) =>
        view.protocol === 'saml' ? (
          <ConnectionCard key={view.id} view={view} onChanged={refresh} />
        ) : (
          <ProtocolConnectionCard key={view.id} view={view} onChanged={refresh} />
        ),
      )}
      {wizard ? (
        <SetupWizard
          onDone={() => {
            setWizard(false);
            void refresh();
          }}
        />
      ) : (
        <p>
          <Button onClick={() => setWizard(true)}>{t('sso.addConnection')}</Button>
        </p>
      )}
    </>
  );
}

/** Pick the IdP, read its steps, then fill the form of its protocol. */
function SetupWizard({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [choice, setChoice] = useState<IdentityProviderChoice | null>(null);
  const protocol = choice?.protocol;
  const Form = protocol !== undefined && protocolAvailable(protocol) ? PROTOCOL_FORMS[protocol] : null;
  return (
    <section className="card wide" aria-label={t('sso.wizard')}>
      <h2>{t('sso.wizard')}</h2>
      <fieldset>
        <legend>{t('sso.pickIdp')}</legend>
        <div className="choices">
          {IDENTITY_PROVIDERS.map((p) => {
            const available = protocolAvailable(p.protocol);
            return (
              <label key={p.id}>
                <input
                  type="radio"
                  name="idp"
                  value={p.id}
                  disabled={!available}
                  checked={choice?.id === p.id}
                  onChange={() => setChoice(p)}
                />{' '}
                {available ? t(p.label) : t('sso.coming', { name: t(p.label) })}
              </label>
            );
          })}
        </div>
      </fieldset>
      {choice && (
        <>
          <h3>{t('sso.stepsTitle', { name: t(choice.label) })}</h3>
          <ol className="steps">
            {t(choice.steps)
              .split('\n')
              .map((line) => (
                <li key={line}>{line}</li>
              ))}
          </ol>
        </>
      )}
      {choice && Form && <Form key={choice.id} provider={choice} onSaved={onDone} />}
      <p>
        <Button variant="ghost" onClick={onDone}>
          {t('sso.cancel')}
        </Button>
      </p>
    </section>
  );
}
