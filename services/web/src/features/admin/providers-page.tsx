import { useQuery } from '@tanstack/react-query';
import { adminApi } from '../../api/endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/ui';
import { UpstreamKeyForm } from './upstream-key-form';

const KINDS = [
  { kind: 'anthropic', label: 'Anthropic' },
  { kind: 'openai', label: 'OpenAI-compatible' },
] as const;

const QUERY_KEY = ['admin', 'providers'] as const;

export function ProvidersPage() {
  const { t } = useI18n();
  const providers = useQuery({ queryKey: QUERY_KEY, queryFn: adminApi.providers });
  return (
    <>
      <h1>{t('admin.providers')}</h1>
      {providers.error && <Alert>{describeError(t, providers.error)}</Alert>}
      {providers.data &&
        KINDS.map(({ kind, label }) => (
          <UpstreamKeyForm
            key={kind}
            label={label}
            current={providers.data.items.find((p) => p.kind === kind)}
            emptyHint={t('admin.noProviderKey')}
            queryKey={QUERY_KEY}
            save={(body) => adminApi.setProvider(kind, body)}
            clear={() => adminApi.clearProvider(kind)}
          />
        ))}
    </>
  );
}
