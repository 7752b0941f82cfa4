import { useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { Button, TextField } from '../../ui/ui';

export type AssignableRole = 'admin' | 'member' | 'billing';
export const ASSIGNABLE_ROLES: readonly AssignableRole[] = ['member', 'admin', 'billing'];
export interface GroupRole {
  group: string;
  role: AssignableRole;
}

/** The default role of provisioned people and the group-to-role table (a group maps to one role). */
export function GroupRoleEditor({
  defaultRole,
  onDefaultRole,
  rows,
  onRows,
}: {
  defaultRole: AssignableRole;
  onDefaultRole: (role: AssignableRole) => void;
  rows: GroupRole[];
  onRows: (rows: GroupRole[]) => void;
}) {
  const { t } = useI18n();
  const defaultId = useId();
  const [group, setGroup] = useState('');
  const [role, setRole] = useState<AssignableRole>('admin');
  return (
    <fieldset>
      <legend>{t('sso.roles')}</legend>
      <div className="field">
        <label htmlFor={defaultId}>{t('sso.defaultRole')}</label>
        <select id={defaultId} value={defaultRole} onChange={(e) => onDefaultRole(e.target.value as AssignableRole)}>
          {ASSIGNABLE_ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </div>
      <ul>
        {rows.map((row) => (
          <li key={row.group}>
            {t('sso.groupMapsTo', { group: row.group, role: t(`role.${row.role}`) })}{' '}
            <Button variant="secondary" onClick={() => onRows(rows.filter((r) => r.group !== row.group))}>
              {t('admin.remove')}
            </Button>
          </li>
        ))}
      </ul>
      <div className="inline-form">
        <TextField label={t('sso.group')} value={group} onChange={(e) => setGroup(e.target.value)} />
        <select aria-label={t('admin.role')} value={role} onChange={(e) => setRole(e.target.value as AssignableRole)}>
          {ASSIGNABLE_ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
        <Button
          variant="secondary"
          disabled={group.trim() === ''}
          onClick={() => {
            onRows([...rows.filter((r) => r.group !== group.trim()), { group: group.trim(), role }]);
            setGroup('');
          }}
        >
          {t('sso.addMapping')}
        </Button>
      </div>
    </fieldset>
  );
}
