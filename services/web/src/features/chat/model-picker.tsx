import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { chatApi } from '../../api/endpoints';
import { useI18n } from '../../i18n/i18n';
import { canAdminister, useSession } from '../auth/session';

/**
 * The model the next answers use, from the providers the tenant (or the platform) has configured
 * (`GET /api/v1/chat/models`, in the order they are tried). "Default" sends no model.
 */
export function ModelPicker({ value, onChange }: { value: string | undefined; onChange: (model?: string) => void }) {
  const { t } = useI18n();
  const { state } = useSession();
  const models = useQuery({ queryKey: ['models'], queryFn: chatApi.models, staleTime: 60_000 });
  const items = models.data?.items ?? [];
  const names = [...new Set(items.map((item) => item.model))];
  return (
    <div className="model-picker">
      <label>
        {t('chat.modelPicker')}{' '}
        <select value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
          <option value="">{t('chat.modelDefault', { model: items[0]?.model ?? '—' })}</option>
          {names.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      {models.data?.localDemoOnly && (
        <span className="hint">
          {t('chat.localDemo')}{' '}
          {canAdminister(state) && <Link to="/admin/providers">{t('chat.configureProvider')}</Link>}
        </span>
      )}
    </div>
  );
}
