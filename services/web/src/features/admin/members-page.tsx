import { ROLES, type Role } from '@parley/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { adminApi } from '../../api/endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, DataTable } from '../../ui/ui';

export function MembersPage() {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const members = useQuery({ queryKey: ['admin', 'members'], queryFn: adminApi.members });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['admin', 'members'] });
  const changeRole = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) => adminApi.changeRole(userId, role),
    onSettled: refresh,
  });
  const remove = useMutation({ mutationFn: adminApi.removeMember, onSettled: refresh });
  const error = members.error ?? changeRole.error ?? remove.error;
  return (
    <>
      <h1>{t('admin.members')}</h1>
      {error && <Alert>{describeError(t, error)}</Alert>}
      <DataTable
        columns={[t('admin.name'), t('admin.email'), t('admin.role'), t('admin.joined')]}
        actions={t('admin.remove')}
      >
        {members.data?.members.map((m) => (
          <tr key={m.userId}>
            <td>{m.name}</td>
            <td>{m.email}</td>
            <td>
              <select
                aria-label={t('admin.roleOf', { name: m.name })}
                value={m.role}
                onChange={(e) => changeRole.mutate({ userId: m.userId, role: e.target.value as Role })}
              >
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {t(`role.${role}`)}
                  </option>
                ))}
              </select>
            </td>
            <td>{date(m.joinedAt, false)}</td>
            <td>
              <Button
                variant="danger"
                aria-label={t('admin.removeMember', { name: m.name })}
                onClick={() => window.confirm(t('admin.confirmRemove')) && remove.mutate(m.userId)}
              >
                {t('admin.remove')}
              </Button>
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
