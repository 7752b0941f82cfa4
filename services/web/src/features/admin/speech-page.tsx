import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { adminApi } from '../../api/endpoints';
import type { MessageKey } from '../../i18n/en';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, TextField } from '../../ui/ui';
import { UpstreamKeyForm } from './upstream-key-form';

const UPSTREAMS: { kind: 'openai' | 'deepgram'; label: MessageKey }[] = [
  { kind: 'openai', label: 'admin.speechUploads' },
  { kind: 'deepgram', label: 'admin.speechStreaming' },
];
const UPSTREAMS_KEY = ['admin', 'stt-upstreams'] as const;

/** Keep uploaded audio or not (off by default), and for how many days. */
function RetentionForm() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const retention = useQuery({ queryKey: ['admin', 'stt-retention'], queryFn: adminApi.sttRetention });
  const [enabled, setEnabled] = useState(false);
  const [days, setDays] = useState('30');
  useEffect(() => {
    if (!retention.data) return;
    setEnabled(retention.data.enabled);
    setDays(String(retention.data.days));
  }, [retention.data]);
  const save = useMutation({
    mutationFn: () => adminApi.setSttRetention({ enabled, days: Number(days) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'stt-retention'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <section aria-label={t('admin.speechRetention')}>
      <h2>{t('admin.speechRetention')}</h2>
      <p className="hint">
        {retention.data?.enabled ? t('admin.keptFiles', { count: retention.data.keptFiles }) : t('admin.audioNotKept')}
      </p>
      <form className="inline-form" onSubmit={submit}>
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />{' '}
          {t('admin.keepAudio')}
        </label>
        <TextField
          label={t('admin.keepDays')}
          type="number"
          min={1}
          max={3650}
          value={days}
          onChange={(e) => setDays(e.target.value)}
          required
        />
        <Button type="submit" disabled={save.isPending}>
          {t('admin.save')}
        </Button>
      </form>
      {save.isSuccess && <Alert tone="success">{t('admin.saved')}</Alert>}
      {(retention.error ?? save.error) && <Alert>{describeError(t, retention.error ?? save.error)}</Alert>}
    </section>
  );
}

/** Speech settings: audio retention and the organisation's own speech upstreams. */
export function SpeechPage() {
  const { t } = useI18n();
  const upstreams = useQuery({ queryKey: UPSTREAMS_KEY, queryFn: adminApi.sttUpstreams });
  return (
    <>
      <h1>{t('admin.speech')}</h1>
      <RetentionForm />
      {upstreams.error && <Alert>{describeError(t, upstreams.error)}</Alert>}
      {upstreams.data &&
        UPSTREAMS.map(({ kind, label }) => (
          <UpstreamKeyForm
            key={kind}
            label={t(label)}
            current={upstreams.data.items.find((u) => u.kind === kind)}
            emptyHint={t('admin.noSpeechUpstream')}
            queryKey={UPSTREAMS_KEY}
            save={(body) => adminApi.setSttUpstream(kind, body)}
            clear={() => adminApi.clearSttUpstream(kind)}
          />
        ))}
    </>
  );
}
