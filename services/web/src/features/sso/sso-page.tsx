import type { SamlConnectionView, SsoProtocol } from '@parley/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ComponentType } from 'react';
import { useSearchParams } from 'react-router';
import { ssoApi } from '../../api/sso-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button } from '../../ui/ui';
import { ConnectionCard } from './connection-card';
import { IDENTITY_PROVIDERS, protocolAvailable, type IdentityProviderChoice } from './identity-providers';
import { SamlConnectionForm } from './saml-connection-form';
import { TestTrace } from './test-trace';

interface ProtocolFormProps {
  provider: IdentityProviderChoice;
  onSaved: (connection: SamlConnectionView) => void;
}

/**
 * The form of each protocol the API accepts. A protocol added to `SSO_PROTOCOLS` (OIDC, LDAP) fails
 * the type check until its form is added here; the wizard offers it from then on.
 */
const PROTOCOL_FORMS: Partial<Record<SsoProtocol, ComponentType<ProtocolFormProps>>> = { saml: SamlConnectionForm };

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
          <p key={view.id} className="card">
            {t('sso.apiConnection', { name: view.name, protocol: view.protocol.toUpperCase() })}
          </p>
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
  const Form = protocol !== undefined && protocolAvailable(protocol) ? (PROTOCOL_FORMS[protocol] ?? null) : null;
  return (
    <section className="card wide" aria-label={t('sso.wizard')}>
      <h2>{t('sso.wizard')}</h2>
      <fieldset>
        <legend>{t('sso.pickIdp')}</legend>
        <div className="choices">
          {IDENTITY_PROVIDERS.map((p) => {
            const available = protocolAvailable(p.protocol) && PROTOCOL_FORMS[p.protocol] !== undefined;
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
