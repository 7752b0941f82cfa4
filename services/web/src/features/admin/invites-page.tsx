import { ROLES, type Role } from '@parley/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { adminApi } from '../../api/endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, TextField, DataTable } from '../../ui/ui';

export function InvitesPage() {
  const { t, date } = useI18n();
  const roleId = useId();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const invites = useQuery({ queryKey: ['admin', 'invites'], queryFn: adminApi.invites });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['admin', 'invites'] });
  const send = useMutation({
    mutationFn: () => adminApi.invite(email, role),
    onSuccess: async () => {
      setEmail('');
      await refresh();
    },
  });
  const revoke = useMutation({ mutationFn: adminApi.revokeInvite, onSettled: refresh });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate();
  };
  const error = invites.error ?? send.error ?? revoke.error;
  return (
    <>
      <h1>{t('admin.invites')}</h1>
      <form className="inline-form" onSubmit={submit}>
        <TextField
          label={t('admin.inviteEmail')}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
        />
        <div className="field">
          <label htmlFor={roleId}>{t('admin.role')}</label>
          <select id={roleId} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.filter((r) => r !== 'owner').map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" disabled={send.isPending}>
          {t('admin.invite')}
        </Button>
      </form>
      {send.isSuccess && <Alert tone="success">{t('admin.inviteSent', { email: send.data.email })}</Alert>}
      {error && <Alert>{describeError(t, error)}</Alert>}
      {invites.data?.invites.length === 0 && <p className="hint">{t('admin.noInvites')}</p>}
      {invites.data && invites.data.invites.length > 0 && (
        <DataTable columns={[t('admin.email'), t('admin.role'), t('admin.expires')]} actions={t('admin.revoke')}>
          {invites.data.invites.map((i) => (
            <tr key={i.id}>
              <td>{i.email}</td>
              <td>{t(`role.${i.role}`)}</td>
              <td>{date(i.expiresAt)}</td>
              <td>
                <Button
                  variant="danger"
                  aria-label={t('admin.revokeInvite', { email: i.email })}
                  onClick={() => revoke.mutate(i.id)}
                >
                  {t('admin.revoke')}
                </Button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
