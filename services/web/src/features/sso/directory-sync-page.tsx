import type { ScimDirectoryView } from '@parley/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ssoApi } from '../../api/sso-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button } from '../../ui/ui';
import { GroupRoleEditor, type AssignableRole, type GroupRole } from './group-role-editor';

/** SCIM directory sync: base URL, token (shown once), default role and group-to-role table, off. */
export function DirectorySyncPage() {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const directory = useQuery({ queryKey: ['sso', 'scim'], queryFn: ssoApi.scim });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['sso', 'scim'] });
  const issue = useMutation({ mutationFn: ssoApi.issueScimToken, onSuccess: refresh });
  const disable = useMutation({ mutationFn: ssoApi.disableScim, onSuccess: refresh });
  const error = directory.error ?? issue.error ?? disable.error;
  const view = directory.data;
  return (
    <>
      <h1>{t('sso.directorySync')}</h1>
      <p className="hint">{t('sso.scimIntro')}</p>
      {error && <Alert>{describeError(t, error)}</Alert>}
      {view && (
        <dl className="record">
          <dt>{t('sso.scimBaseUrl')}</dt>
          <dd className="secret">{view.baseUrl}</dd>
          {view.enabled && (
            <>
              <dt>{t('sso.scimToken')}</dt>
              <dd>
                {view.tokenHint} · {t('sso.issued', { time: date(view.rotatedAt ?? '') })}
              </dd>
            </>
          )}
        </dl>
      )}
      {issue.data?.token && (
        <Alert tone="success">
          <p>{t('sso.tokenOnce')}</p>
          <p className="secret" aria-label={t('sso.newScimToken')}>
            {issue.data.token}
          </p>
        </Alert>
      )}
      <p>
        <Button onClick={() => issue.mutate()} disabled={issue.isPending}>
          {view?.enabled ? t('sso.rotateToken') : t('sso.enableScim')}
        </Button>{' '}
        {view?.enabled && (
          <Button variant="danger" onClick={() => disable.mutate()} disabled={disable.isPending}>
            {t('sso.disableScim')}
          </Button>
        )}
      </p>
      {view?.enabled && <RoleSettings view={view} onSaved={refresh} />}
    </>
  );
}

function RoleSettings({ view, onSaved }: { view: ScimDirectoryView; onSaved: () => Promise<void> }) {
  const { t } = useI18n();
  const [defaultRole, setDefaultRole] = useState<AssignableRole>(view.defaultRole ?? 'member');
  const [rows, setRows] = useState<GroupRole[]>(view.groupRoles ?? []);
  useEffect(() => {
    setDefaultRole(view.defaultRole ?? 'member');
    setRows(view.groupRoles ?? []);
  }, [view]);
  const save = useMutation({
    mutationFn: () => ssoApi.saveScimSettings({ defaultRole, groupRoles: rows }),
    onSuccess: onSaved,
  });
  return (
    <section className="card" aria-label={t('sso.roles')}>
      <h2>{t('sso.roles')}</h2>
      <GroupRoleEditor defaultRole={defaultRole} onDefaultRole={setDefaultRole} rows={rows} onRows={setRows} />
      <p>
        <Button onClick={() => save.mutate()} disabled={save.isPending}>
          {t('admin.save')}
        </Button>
      </p>
      {save.isSuccess && <Alert tone="success">{t('admin.saved')}</Alert>}
      {save.error && <Alert>{describeError(t, save.error)}</Alert>}
    </section>
  );
}
