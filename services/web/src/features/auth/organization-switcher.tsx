import { useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { authApi } from '../../api/endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/ui';
import { useSession } from './session';

/** For a person in several organisations: which one this session is in, and a switch to another. */
export function OrganizationSwitcher() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { state, switchOrganization } = useSession();
  const signedIn = state.status === 'signed-in';
  const memberships = useQuery({ queryKey: ['memberships'], queryFn: authApi.memberships, enabled: signedIn });
  const change = useMutation({
    mutationFn: (slug: string) => switchOrganization(slug),
    onSuccess: () => navigate('/'),
  });
  const items = memberships.data?.memberships ?? [];
  if (!signedIn || items.length < 2) return null;
  const current = items.find((m) => m.current)?.slug ?? '';
  return (
    <>
      <select
        aria-label={t('org.switch')}
        value={current}
        disabled={change.isPending}
        onChange={(e) => change.mutate(e.target.value)}
      >
        {items.map((m) => (
          <option key={m.slug} value={m.slug}>
            {m.name}
          </option>
        ))}
      </select>
      {change.isError && <Alert>{describeError(t, change.error)}</Alert>}
    </>
  );
}
