import { SSO_LDAP_ROUTES, type SignedInResponse } from '@parley/contracts';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, TextField } from '../../ui/ui';
import { field } from './auth-form';
import { useSession } from './session';

/**
 * Sign-in with the organisation's directory (LDAP / Active Directory), shown when email-first
 * discovery says the organisation uses it: the directory login (the email typed, by default) and
 * password, posted to the organisation's LDAP sign-in; the session opens as after a password
 * sign-in.
 */
export function LdapSignInForm({ tenantSlug, email }: { tenantSlug: string; email: string }) {
  const { t } = useI18n();
  const { begin } = useSession();
  const navigate = useNavigate();
  const signIn = useMutation({
    mutationFn: (body: { login: string; password: string }) =>
      api.post<SignedInResponse>(SSO_LDAP_ROUTES.signIn(tenantSlug), body, { auth: false }),
    onSuccess: async (answer) => {
      await begin(answer);
      await navigate('/');
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    signIn.mutate({ login: field(data, 'login').trim(), password: field(data, 'password') });
  };
  return (
    <form onSubmit={submit} aria-label={t('auth.ldapTitle')}>
      <p className="hint">{t('auth.ldapHint')}</p>
      <TextField label={t('auth.ldapLogin')} name="login" autoComplete="username" defaultValue={email} required />
      <TextField label={t('auth.password')} name="password" type="password" autoComplete="current-password" required />
      {signIn.error && <Alert>{describeError(t, signIn.error)}</Alert>}
      <Button type="submit" disabled={signIn.isPending}>
        {signIn.isPending ? t('auth.working') : t('auth.signIn')}
      </Button>
    </form>
  );
}
