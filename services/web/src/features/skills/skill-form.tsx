import type { SkillInput, SkillView } from '@parley/contracts';
import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import { Button, TextField } from '../../ui/ui';

export type Visibility = SkillInput['visibility'];

/** Create or edit a skill: name, command, description, system prompt, model and who sees it. */
export function SkillForm({
  skill,
  busy,
  onSubmit,
  onCancel,
}: {
  skill?: SkillView;
  busy: boolean;
  onSubmit: (input: SkillInput) => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const promptId = useId();
  const visibilityId = useId();
  const [name, setName] = useState(skill?.name ?? '');
  const [command, setCommand] = useState(skill?.command ?? '/');
  const [description, setDescription] = useState(skill?.description ?? '');
  const [systemPrompt, setSystemPrompt] = useState(skill?.systemPrompt ?? '');
  const [model, setModel] = useState(skill?.model ?? '');
  const [visibility, setVisibility] = useState<Visibility>(skill?.visibility === 'tenant' ? 'tenant' : 'private');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({
      name: name.trim(),
      command: command.trim(),
      description: description.trim() || null,
      systemPrompt,
      model: model.trim() || null,
      visibility,
    });
  };

  return (
    <form onSubmit={submit} aria-label={skill ? t('skills.editTitle', { name: skill.name }) : t('skills.create')}>
      <TextField
        label={t('skills.name')}
        value={name}
        required
        maxLength={100}
        onChange={(e) => setName(e.target.value)}
      />
      <TextField
        label={t('skills.command')}
        hint={t('skills.commandHint')}
        value={command}
        required
        pattern="/[a-z0-9-]{1,32}"
        onChange={(e) => setCommand(e.target.value)}
      />
      <TextField
        label={t('skills.description')}
        value={description}
        maxLength={500}
        onChange={(e) => setDescription(e.target.value)}
      />
      <div className="field">
        <label htmlFor={promptId}>{t('skills.systemPrompt')}</label>
        <textarea
          id={promptId}
          rows={5}
          required
          value={systemPrompt}
          aria-describedby={`${promptId}-hint`}
          onChange={(e) => setSystemPrompt(e.target.value)}
        />
        <p className="hint" id={`${promptId}-hint`}>
          {t('skills.promptHint')}
        </p>
      </div>
      <TextField label={t('skills.model')} value={model} maxLength={200} onChange={(e) => setModel(e.target.value)} />
      <div className="field">
        <label htmlFor={visibilityId}>{t('skills.visibility')}</label>
        <select id={visibilityId} value={visibility} onChange={(e) => setVisibility(e.target.value as Visibility)}>
          <option value="private">{t('skills.private')}</option>
          <option value="tenant">{t('skills.tenant')}</option>
        </select>
      </div>
      <div className="actions">
        <Button type="submit" disabled={busy}>
          {skill ? t('skills.save') : t('skills.create')}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            {t('chat.cancel')}
          </Button>
        )}
      </div>
    </form>
  );
}
