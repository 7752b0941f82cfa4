import type { SsoConnectionView } from '@parley/contracts';
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ssoApi } from '../../api/sso-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, TextField } from '../../ui/ui';
import { GroupRoleEditor, type AssignableRole, type GroupRole } from './group-role-editor';
import type { IdentityProviderChoice } from './identity-providers';

const DEFAULT_FILTER = '(|(mail={login})(uid={login})(sAMAccountName={login}))';

/**
 * The LDAP / Active Directory step of the wizard: the directory's address (ldaps, or ldap with
 * StartTLS), its CA when it is not publicly trusted, the service account that searches (its
 * password is sent once and never shown again), where and how people are found, the attributes,
 * and the roles. Saved disabled: the admin tests it (a bind, optionally a probe login), then enables it.
 */
export function LdapConnectionForm({
  provider,
  onSaved,
}: {
  provider: IdentityProviderChoice;
  onSaved: (connection: SsoConnectionView) => void;
}) {
  const { t } = useI18n();
  const caId = useId();
  const startTlsId = useId();
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
      protocol: 'ldap',
      name: text('name'),
      enabled: false,
      ldap: {
        url: text('url'),
        startTls: data.get('startTls') === 'on',
        ...(text('caCertificate') ? { caCertificate: text('caCertificate') } : {}),
        bindDn: text('bindDn'),
        bindPassword: text('bindPassword'),
        userBaseDn: text('userBaseDn'),
        userFilter: text('userFilter') || DEFAULT_FILTER,
        emailAttribute: text('emailAttribute') || 'mail',
        nameAttribute: text('nameAttribute') || 'cn',
        groupsAttribute: text('groupsAttribute') || 'memberOf',
        timeoutMs: 5000,
      },
      defaultRole,
      groupRoles,
    });
  };

  return (
    <form onSubmit={submit} aria-label={t('sso.ldapForm')}>
      <TextField label={t('sso.connectionName')} name="name" defaultValue={t(provider.label)} required />
      <TextField label={t('sso.ldapUrl')} name="url" placeholder="ldaps://ldap.example.com:636" required />
      <div className="field">
        <label htmlFor={startTlsId}>
          <input id={startTlsId} type="checkbox" name="startTls" /> {t('sso.ldapStartTls')}
        </label>
      </div>
      <div className="field">
        <label htmlFor={caId}>{t('sso.ldapCa')}</label>
        <textarea id={caId} name="caCertificate" rows={4} />
      </div>
      <TextField
        label={t('sso.ldapBindDn')}
        name="bindDn"
        placeholder="cn=parley,ou=services,dc=example,dc=com"
        required
      />
      <TextField label={t('sso.ldapBindPassword')} name="bindPassword" type="password" autoComplete="off" required />
      <TextField label={t('sso.ldapUserBaseDn')} name="userBaseDn" placeholder="ou=people,dc=example,dc=com" required />
      <TextField label={t('sso.ldapUserFilter')} name="userFilter" defaultValue={DEFAULT_FILTER} />
      <TextField label={t('sso.attrEmail')} name="emailAttribute" defaultValue="mail" />
      <TextField label={t('sso.attrName')} name="nameAttribute" defaultValue="cn" />
      <TextField label={t('sso.attrGroups')} name="groupsAttribute" defaultValue="memberOf" />
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
