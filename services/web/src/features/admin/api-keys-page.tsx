import { API_KEY_SCOPES } from '@parley/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { adminApi } from '../../api/endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, TextField, DataTable } from '../../ui/ui';

export function ApiKeysPage() {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['chat:read', 'chat:write']);
  const keys = useQuery({ queryKey: ['admin', 'api-keys'], queryFn: adminApi.apiKeys });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['admin', 'api-keys'] });
  const create = useMutation({
    mutationFn: () => adminApi.createApiKey(name, scopes),
    onSuccess: async () => {
      setName('');
      await refresh();
    },
  });
  const revoke = useMutation({ mutationFn: adminApi.revokeApiKey, onSettled: refresh });
  const [copied, setCopied] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCopied(false);
    create.mutate();
  };
  const toggle = (scope: string, on: boolean) =>
    setScopes((list) => (on ? [...list, scope] : list.filter((s) => s !== scope)));
  const error = keys.error ?? create.error ?? revoke.error;
  return (
    <>
      <h1>{t('admin.apiKeys')}</h1>
      <form onSubmit={submit}>
        <TextField label={t('admin.keyName')} value={name} onChange={(e) => setName(e.target.value)} required />
        <fieldset className="scopes">
          <legend>{t('admin.scopes')}</legend>
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope}>
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => toggle(scope, e.target.checked)}
              />{' '}
              {scope}
            </label>
          ))}
        </fieldset>
        <p>
          <Button type="submit" disabled={create.isPending || scopes.length === 0}>
            {t('admin.createKey')}
          </Button>
        </p>
      </form>
      {create.data && (
        <Alert tone="success">
          <p>{t('admin.keyCreated')}</p>
          <p className="secret" aria-label={t('admin.newKey')}>
            {create.data.key}
          </p>
          <Button
            variant="secondary"
            onClick={() => void navigator.clipboard?.writeText(create.data.key).then(() => setCopied(true))}
          >
            {copied ? t('chat.copied') : t('chat.copy')}
          </Button>
        </Alert>
      )}
      {error && <Alert>{describeError(t, error)}</Alert>}
      {keys.data?.apiKeys.length === 0 && <p className="hint">{t('admin.noKeys')}</p>}
      {keys.data && keys.data.apiKeys.length > 0 && (
        <DataTable
          columns={[t('admin.keyName'), t('admin.prefix'), t('admin.scopes'), t('admin.lastUsed')]}
          actions={t('admin.revoke')}
        >
          {keys.data.apiKeys.map((k) => (
            <tr key={k.id}>
              <td>{k.name}</td>
              <td>
                <code>{k.prefix}</code>
              </td>
              <td>{k.scopes.join(', ')}</td>
              <td>{k.lastUsedAt ? date(k.lastUsedAt) : t('admin.never')}</td>
              <td>
                <Button
                  variant="danger"
                  aria-label={t('admin.revokeKey', { name: k.name })}
                  onClick={() => revoke.mutate(k.id)}
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
