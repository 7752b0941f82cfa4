import type { ChatProviderView } from '@parley/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { adminApi } from '../../api/endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, TextField } from '../../ui/ui';

const KINDS = [
  { kind: 'anthropic', label: 'Anthropic' },
  { kind: 'openai', label: 'OpenAI-compatible' },
] as const;

/** Bring your own key: set, replace or clear; a key is never shown back, only its last characters. */
function ProviderForm({ kind, label, current }: { kind: string; label: string; current?: ChatProviderView }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [apiKey, setApiKey] = useState('');
  const [model, setModel] = useState(current?.model ?? '');
  const [baseUrl, setBaseUrl] = useState(current?.baseUrl ?? '');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['admin', 'providers'] });
  const save = useMutation({
    mutationFn: () => adminApi.setProvider(kind, { apiKey, model, ...(baseUrl ? { baseUrl } : {}) }),
    onSuccess: async () => {
      setApiKey('');
      await refresh();
    },
  });
  const clear = useMutation({ mutationFn: () => adminApi.clearProvider(kind), onSuccess: refresh });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <section aria-label={label}>
      <h2>{label}</h2>
      <p className="hint">
        {current?.keyHint ? t('admin.keyHint', { hint: current.keyHint }) : t('admin.noProviderKey')}
      </p>
      <form className="inline-form" onSubmit={submit}>
        <TextField
          label={t('admin.providerKey', { provider: label })}
          type="password"
          autoComplete="off"
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          required
        />
        <TextField
          label={t('admin.providerModel', { provider: label })}
          value={model}
          onChange={(e) => setModel(e.target.value)}
          required
        />
        <TextField
          label={t('admin.providerBaseUrl', { provider: label })}
          type="url"
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
        />
        <Button type="submit" disabled={save.isPending}>
          {t('admin.save')}
        </Button>
        {current && (
          <Button variant="danger" onClick={() => clear.mutate()} disabled={clear.isPending}>
            {t('admin.clear')}
          </Button>
        )}
      </form>
      {save.isSuccess && <Alert tone="success">{t('admin.saved')}</Alert>}
      {(save.error ?? clear.error) && <Alert>{describeError(t, save.error ?? clear.error)}</Alert>}
    </section>
  );
}

export function ProvidersPage() {
  const { t } = useI18n();
  const providers = useQuery({ queryKey: ['admin', 'providers'], queryFn: adminApi.providers });
  return (
    <>
      <h1>{t('admin.providers')}</h1>
      {providers.error && <Alert>{describeError(t, providers.error)}</Alert>}
      {providers.data &&
        KINDS.map(({ kind, label }) => (
          <ProviderForm
            key={kind}
            kind={kind}
            label={label}
            current={providers.data.items.find((p) => p.kind === kind)}
          />
        ))}
    </>
  );
}
