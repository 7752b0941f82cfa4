import type { SkillInput, SkillView } from '@parley/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { chatApi } from '../../api/endpoints';
import type { MessageKey } from '../../i18n/en';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, Card } from '../../ui/ui';
import { SkillForm } from './skill-form';

const VISIBILITY: Record<string, MessageKey> = {
  builtin: 'skills.builtin',
  tenant: 'skills.tenant',
  private: 'skills.private',
};

/**
 * The skills this person may use (built-in, the organisation's, their own): create, edit and delete
 * the ones they may change, and choose who sees them. The API decides who may publish to the whole
 * organisation (owners and admins); its refusal is shown in words.
 */
export default function SkillsPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const skills = useQuery({ queryKey: ['skills'], queryFn: chatApi.skills });
  const [editing, setEditing] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['skills'] });

  const create = useMutation({
    mutationFn: (input: SkillInput) => chatApi.createSkill(input),
    onSuccess: async (skill) => {
      setDone(t('skills.created', { command: skill.command }));
      await refresh();
    },
  });
  const update = useMutation({
    mutationFn: ({ id, input }: { id: string; input: SkillInput }) => chatApi.updateSkill(id, input),
    onSuccess: async (skill) => {
      setEditing(null);
      setDone(t('skills.saved', { command: skill.command }));
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (skill: SkillView) => chatApi.deleteSkill(skill.id),
    onSuccess: async (_void, skill) => {
      setDone(t('skills.deleted', { command: skill.command }));
      await refresh();
    },
  });
  const failure = create.error ?? update.error ?? remove.error;

  return (
    <main className="page" id="main">
      <Card title={t('skills.title')}>
        <p className="hint">{t('skills.intro')}</p>
        {done && !failure && <Alert tone="success">{done}</Alert>}
        {failure && <Alert>{describeError(t, failure)}</Alert>}
        {skills.isError && <Alert>{describeError(t, skills.error)}</Alert>}
        <ul className="skill-list" aria-label={t('skills.title')}>
          {(skills.data?.items ?? []).map((skill) =>
            editing === skill.id ? (
              <li key={skill.id}>
                <SkillForm
                  skill={skill}
                  busy={update.isPending}
                  onSubmit={(input) => update.mutate({ id: skill.id, input })}
                  onCancel={() => setEditing(null)}
                />
              </li>
            ) : (
              <li key={skill.id} aria-label={skill.command}>
                <strong>{skill.command}</strong> {skill.name}
                <span className="badge">{t(VISIBILITY[skill.visibility] ?? 'skills.private')}</span>
                {skill.editable && (
                  <>
                    <Button variant="ghost" onClick={() => setEditing(skill.id)}>
                      {t('skills.edit', { command: skill.command })}
                    </Button>
                    <Button
                      variant="ghost"
                      onClick={() => window.confirm(t('skills.confirmDelete')) && remove.mutate(skill)}
                    >
                      {t('skills.delete', { command: skill.command })}
                    </Button>
                  </>
                )}
                {skill.description && <span className="desc">{skill.description}</span>}
              </li>
            ),
          )}
        </ul>
        <h2>{t('skills.create')}</h2>
        <SkillForm key={create.data?.id ?? 'new'} busy={create.isPending} onSubmit={(input) => create.mutate(input)} />
      </Card>
    </main>
  );
}
