import { OIDC_PRESETS, OIDC_PRESET_IDS, type OidcPreset, type SsoConnectionView } from '@parley/contracts';
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ssoApi } from '../../api/sso-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, TextField } from '../../ui/ui';
import { GroupRoleEditor, type AssignableRole, type GroupRole } from './group-role-editor';
import type { IdentityProviderChoice } from './identity-providers';

/** The preset a wizard choice starts from (Okta, Entra ID, Google, Keycloak; else generic). */
function presetOf(provider: IdentityProviderChoice): OidcPreset {
  const byChoice: Partial<Record<IdentityProviderChoice['id'], OidcPreset>> = {
    okta: 'okta',
    entra: 'entra',
    google: 'google',
    keycloak: 'keycloak',
  };
  return byChoice[provider.id] ?? 'generic';
}

/**
 * The OIDC step of the wizard: the preset (its issuer template to fill in and its groups claim),
 * the client id and secret (the secret is sent once and never shown again), the scopes, and the
 * roles. Saved disabled: the admin tests the connection, then enables it.
 */
export function OidcConnectionForm({
  provider,
  onSaved,
}: {
  provider: IdentityProviderChoice;
  onSaved: (connection: SsoConnectionView) => void;
}) {
  const { t } = useI18n();
  const presetId = useId();
  const [preset, setPreset] = useState<OidcPreset>(presetOf(provider));
  const [defaultRole, setDefaultRole] = useState<AssignableRole>('member');
  const [groupRoles, setGroupRoles] = useState<GroupRole[]>([]);
  const save = useMutation({ mutationFn: ssoApi.createConnection, onSuccess: onSaved });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = data.get(name);
      return typeof value === 'string' ? value.trim() : '';
    };
    save.mutate({
      protocol: 'oidc',
      name: text('name'),
      enabled: false,
      oidc: {
        preset,
        issuer: text('issuer'),
        clientId: text('clientId'),
        clientSecret: text('clientSecret'),
        scopes: text('scopes').split(/\s+/).filter(Boolean),
        groupsClaim: text('groupsClaim') || undefined,
        allowedAlgorithms: ['RS256'],
      },
      attributeMapping: {},
      defaultRole,
      groupRoles,
    });
  };

  return (
    <form onSubmit={submit} aria-label={t('sso.oidcForm')}>
      <TextField label={t('sso.connectionName')} name="name" defaultValue={t(provider.label)} required />
      <div className="field">
        <label htmlFor={presetId}>{t('sso.oidcPreset')}</label>
        <select id={presetId} value={preset} onChange={(e) => setPreset(e.target.value as OidcPreset)}>
          {OIDC_PRESET_IDS.map((id) => (
            <option key={id} value={id}>
              {OIDC_PRESETS[id].label}
            </option>
          ))}
        </select>
      </div>
      <TextField
        key={preset}
        label={t('sso.oidcIssuer')}
        hint={t('sso.oidcIssuerHint', { template: OIDC_PRESETS[preset].issuerTemplate })}
        name="issuer"
        type="url"
        defaultValue={OIDC_PRESETS[preset].issuerTemplate.includes('{') ? '' : OIDC_PRESETS[preset].issuerTemplate}
        required
      />
      <TextField label={t('sso.oidcClientId')} name="clientId" required />
      <TextField label={t('sso.oidcClientSecret')} name="clientSecret" type="password" autoComplete="off" required />
      <TextField label={t('sso.oidcScopes')} name="scopes" defaultValue="openid email profile" />
      <TextField
        key={`${preset}-groups`}
        label={t('sso.oidcGroupsClaim')}
        name="groupsClaim"
        defaultValue={OIDC_PRESETS[preset].groupsClaim}
      />
      <GroupRoleEditor
        defaultRole={defaultRole}
        onDefaultRole={setDefaultRole}
        rows={groupRoles}
        onRows={setGroupRoles}
      />
      {save.error && <Alert>{describeError(t, save.error)}</Alert>}
      <p>
        <Button type="submit" disabled={save.isPending}>
          {t('sso.saveConnection')}
        </Button>
      </p>
    </form>
  );
}
