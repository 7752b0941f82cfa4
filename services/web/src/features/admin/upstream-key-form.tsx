import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, TextField } from '../../ui/ui';

/** What is stored for an upstream: never the key, only its last characters. */
export interface StoredUpstreamKey {
  keyHint: string | null;
  model: string;
  baseUrl: string | null;
}

export interface UpstreamKeyBody {
  apiKey: string;
  model: string;
  baseUrl?: string;
}

interface UpstreamKeyFormProps {
  label: string;
  current?: StoredUpstreamKey;
  /** Shown while no key is stored. */
  emptyHint: string;
  /** The list this form's upstream belongs to, reloaded after a save or a clear. */
  queryKey: readonly unknown[];
  save: (body: UpstreamKeyBody) => Promise<unknown>;
  clear: () => Promise<unknown>;
}

/**
 * Bring your own key for one upstream (a chat provider, a speech engine): set, replace or clear;
 * a key is never shown back, only its last characters.
 */
export function UpstreamKeyForm({ label, current, emptyHint, queryKey, save, clear }: UpstreamKeyFormProps) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [apiKey, setApiKey] = useState('');
  const [model, setModel] = useState(current?.model ?? '');
  const [baseUrl, setBaseUrl] = useState(current?.baseUrl ?? '');
  const refresh = () => queryClient.invalidateQueries({ queryKey });
  const saving = useMutation({
    mutationFn: () => save({ apiKey, model, ...(baseUrl ? { baseUrl } : {}) }),
    onSuccess: async () => {
      setApiKey('');
      await refresh();
    },
  });
  const clearing = useMutation({ mutationFn: clear, onSuccess: refresh });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    saving.mutate();
  };
  const failure = saving.error ?? clearing.error;
  return (
    <section aria-label={label}>
      <h2>{label}</h2>
      <p className="hint">{current?.keyHint ? t('admin.keyHint', { hint: current.keyHint }) : emptyHint}</p>
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
        <Button type="submit" disabled={saving.isPending}>
          {t('admin.save')}
        </Button>
        {current && (
          <Button variant="danger" onClick={() => clearing.mutate()} disabled={clearing.isPending}>
            {t('admin.clear')}
          </Button>
        )}
      </form>
      {saving.isSuccess && <Alert tone="success">{t('admin.saved')}</Alert>}
      {failure && <Alert>{describeError(t, failure)}</Alert>}
    </section>
  );
}
