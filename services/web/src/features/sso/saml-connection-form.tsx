import type { SamlConnectionInput, SsoConnectionView } from '@parley/contracts';
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ssoApi } from '../../api/sso-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, TextField } from '../../ui/ui';
import { GroupRoleEditor, type AssignableRole, type GroupRole } from './group-role-editor';
import type { IdentityProviderChoice } from './identity-providers';

type MetadataSource = 'url' | 'file' | 'xml' | 'manual';
const SOURCES: readonly MetadataSource[] = ['url', 'file', 'xml', 'manual'];

/** Certificates pasted one after another (PEM blocks, or base64 separated by blank lines). */
export function splitCertificates(text: string): string[] {
  const pem = [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => m[0]);
  if (pem.length > 0) return pem;
  return text
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block !== '');
}

/**
 * The SAML step of the wizard: the IdP's metadata (by URL, file, pasted XML, or by hand), the
 * attribute mapping and the roles. Saved disabled: the admin tests the connection, then enables it.
 */
export function SamlConnectionForm({
  provider,
  onSaved,
}: {
  provider: IdentityProviderChoice;
  onSaved: (connection: SsoConnectionView) => void;
}) {
  const { t } = useI18n();
  const xmlId = useId();
  const certsId = useId();
  const [source, setSource] = useState<MetadataSource>('url');
  const [xml, setXml] = useState('');
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
    const optional = (name: string) => (text(name) === '' ? undefined : text(name));
    const idpSource: Pick<SamlConnectionInput, 'idp' | 'idpMetadataUrl' | 'idpMetadataXml'> =
      source === 'url'
        ? { idpMetadataUrl: text('metadataUrl') }
        : source === 'manual'
          ? {
              idp: {
                entityId: text('entityId'),
                ssoUrl: text('ssoUrl'),
                sloUrl: optional('sloUrl'),
                certificates: splitCertificates(text('certificates')),
              },
            }
          : { idpMetadataXml: xml };
    save.mutate({
      protocol: 'saml',
      name: text('name'),
      enabled: false,
      ...idpSource,
      attributeMapping: { email: optional('email'), name: optional('nameAttr'), groups: optional('groups') },
      defaultRole,
      groupRoles,
      allowIdpInitiated: data.get('allowIdpInitiated') === 'on',
      singleLogout: data.get('singleLogout') === 'on',
      signAuthnRequests: data.get('signAuthnRequests') === 'on',
    });
  };

  return (
    <form onSubmit={submit} aria-label={t('sso.samlForm')}>
      <TextField label={t('sso.connectionName')} name="name" defaultValue={t(provider.label)} required />
      <fieldset>
        <legend>{t('sso.theirMetadata')}</legend>
        <div className="choices">
          {SOURCES.map((s) => (
            <label key={s}>
              <input type="radio" name="source" value={s} checked={source === s} onChange={() => setSource(s)} />{' '}
              {t(`sso.source.${s}`)}
            </label>
          ))}
        </div>
        {source === 'url' && <TextField label={t('sso.metadataUrl')} name="metadataUrl" type="url" required />}
        {source === 'file' && (
          <div className="field">
            <label htmlFor={xmlId}>{t('sso.metadataFile')}</label>
            <input
              id={xmlId}
              type="file"
              accept=".xml,application/xml,text/xml"
              required
              onChange={(e) => void e.target.files?.[0]?.text().then(setXml)}
            />
          </div>
        )}
        {source === 'xml' && (
          <div className="field">
            <label htmlFor={xmlId}>{t('sso.metadataXml')}</label>
            <textarea id={xmlId} rows={6} value={xml} onChange={(e) => setXml(e.target.value)} required />
          </div>
        )}
        {source === 'manual' && (
          <>
            <TextField label={t('sso.idpEntityId')} name="entityId" required />
            <TextField label={t('sso.idpSsoUrl')} name="ssoUrl" type="url" required />
            <TextField label={t('sso.idpSloUrl')} name="sloUrl" type="url" />
            <div className="field">
              <label htmlFor={certsId}>{t('sso.idpCertificates')}</label>
              <textarea id={certsId} name="certificates" rows={6} required />
            </div>
          </>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('sso.attributeMapping')}</legend>
        <p className="hint">{t('sso.attributeMappingHint')}</p>
        <TextField label={t('sso.attrEmail')} name="email" defaultValue={provider.attributes.email ?? ''} />
        <TextField label={t('sso.attrName')} name="nameAttr" defaultValue={provider.attributes.name ?? ''} />
        <TextField label={t('sso.attrGroups')} name="groups" defaultValue={provider.attributes.groups ?? ''} />
      </fieldset>
      <div className="field">
        <label>
          <input type="checkbox" name="allowIdpInitiated" /> {t('sso.allowIdpInitiated')}
        </label>
        <p className="hint">{t('sso.allowIdpInitiatedHint')}</p>
      </div>
      <div className="field">
        <label>
          <input type="checkbox" name="singleLogout" /> {t('sso.singleLogout')}
        </label>
        <p className="hint">{t('sso.singleLogoutHint')}</p>
      </div>
      <div className="field">
        <label>
          <input type="checkbox" name="signAuthnRequests" /> {t('sso.signAuthnRequests')}
        </label>
        <p className="hint">{t('sso.signAuthnRequestsHint')}</p>
      </div>
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
