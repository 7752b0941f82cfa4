import { Link, useNavigate, useSearchParams } from 'react-router';
import { authApi } from '../../api/endpoints';
import { useI18n } from '../../i18n/i18n';
import { Alert, Card, TextField } from '../../ui/ui';
import { AuthForm, field } from './auth-form';
import { useSession } from './session';
import { SocialSignInButtons, SsoErrorNotice } from './sso-sign-in';

export function SignInPage() {
  const { t } = useI18n();
  const { begin } = useSession();
  const navigate = useNavigate();
  return (
    <AuthForm
      title={t('auth.signInTitle')}
      submitLabel={t('auth.signIn')}
      action={async (data) => {
        const slug = field(data, 'tenantSlug');
        await begin(
          await authApi.signIn({
            email: field(data, 'email'),
            password: field(data, 'password'),
            ...(slug ? { tenantSlug: slug } : {}),
          }),
        );
        await navigate('/');
      }}
      footer={
        <>
          <Link to="/sign-in/sso">{t('auth.ssoLink')}</Link>
          <Link to="/forgot-password">{t('auth.forgot')}</Link>
          <span>
            {t('auth.noAccount')} <Link to="/sign-up">{t('auth.signUp')}</Link>
          </span>
        </>
      }
    >
      <SsoErrorNotice />
      <SocialSignInButtons />
      <TextField label={t('auth.email')} name="email" type="email" autoComplete="username" required />
      <TextField label={t('auth.password')} name="password" type="password" autoComplete="current-password" required />
      <TextField label={t('auth.tenantSlug')} name="tenantSlug" type="text" autoComplete="organization" />
    </AuthForm>
  );
}

export function SignUpPage() {
  const { t } = useI18n();
  const { begin } = useSession();
  const navigate = useNavigate();
  return (
    <AuthForm
      title={t('auth.signUpTitle')}
      submitLabel={t('auth.signUp')}
      action={async (data) => {
        await begin(
          await authApi.signUp({
            organizationName: field(data, 'organizationName'),
            organizationSlug: field(data, 'organizationSlug'),
            name: field(data, 'name'),
            email: field(data, 'email'),
            password: field(data, 'password'),
          }),
        );
        await navigate('/');
      }}
      footer={
        <span>
          {t('auth.haveAccount')} <Link to="/sign-in">{t('auth.signIn')}</Link>
        </span>
      }
    >
      <TextField label={t('auth.organizationName')} name="organizationName" required />
      <TextField label={t('auth.organizationSlug')} name="organizationSlug" pattern="[a-z0-9\-]+" required />
      <TextField label={t('auth.name')} name="name" autoComplete="name" required />
      <TextField label={t('auth.email')} name="email" type="email" autoComplete="username" required />
      <NewPasswordField />
    </AuthForm>
  );
}

export function ForgotPasswordPage() {
  const { t } = useI18n();
  return (
    <AuthForm
      title={t('auth.forgotTitle')}
      submitLabel={t('auth.forgotSubmit')}
      action={(data) => authApi.requestReset(field(data, 'email'))}
      done={t('auth.forgotSent')}
      footer={<Link to="/sign-in">{t('auth.signIn')}</Link>}
    >
      <TextField label={t('auth.email')} name="email" type="email" autoComplete="username" required />
    </AuthForm>
  );
}

function MissingToken() {
  const { t } = useI18n();
  return (
    <main className="auth-page" id="main">
      <Card title={t('auth.resetTitle')}>
        <Alert>{t('auth.missingToken')}</Alert>
      </Card>
    </main>
  );
}

export function ResetPasswordPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token');
  if (!token) return <MissingToken />;
  return (
    <AuthForm
      title={t('auth.resetTitle')}
      submitLabel={t('auth.resetSubmit')}
      action={(data) => authApi.confirmReset(token, field(data, 'password'))}
      done={t('auth.resetDone')}
      footer={<Link to="/sign-in">{t('auth.signIn')}</Link>}
    >
      <NewPasswordField />
    </AuthForm>
  );
}

export function AcceptInvitePage() {
  const { t } = useI18n();
  const { begin } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token');
  if (!token) return <MissingToken />;
  return (
    <AuthForm
      title={t('auth.inviteTitle')}
      submitLabel={t('auth.inviteSubmit')}
      action={async (data) => {
        const name = field(data, 'name');
        await begin(
          await authApi.acceptInvite({ token, password: field(data, 'password'), ...(name ? { name } : {}) }),
        );
        await navigate('/');
      }}
    >
      <p className="hint">{t('auth.inviteHint')}</p>
      <TextField label={t('auth.name')} name="name" autoComplete="name" />
      <TextField label={t('auth.password')} name="password" type="password" autoComplete="new-password" required />
    </AuthForm>
  );
}

/** The new password of a sign-up, a reset or an accepted invite: at least 10 characters, as auth requires. */
function NewPasswordField() {
  const { t } = useI18n();
  return (
    <TextField
      label={t('auth.newPassword')}
      name="password"
      type="password"
      autoComplete="new-password"
      minLength={10}
      required
    />
  );
}
