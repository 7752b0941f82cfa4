import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Link, Navigate, Route, Routes } from 'react-router';
import {
  AcceptInvitePage,
  ForgotPasswordPage,
  ResetPasswordPage,
  SignInPage,
  SignUpPage,
} from '../features/auth/auth-pages';
import { canAdminister, canManageBilling, SessionProvider, useSession } from '../features/auth/session';
import { SsoSignInPage } from '../features/auth/sso-sign-in';
import { I18nProvider, useI18n } from '../i18n/i18n';
import { Shell } from './shell';

// Chat (markdown, highlighting) and the admin console load on demand: the first page stays small.
const ChatPage = lazy(() => import('../features/chat/chat-page'));
const AdminConsole = lazy(() => import('../features/admin/admin-console'));
const SkillsPage = lazy(() => import('../features/skills/skills-page'));
const MyUsagePage = lazy(() => import('../features/analytics/my-usage-page'));
const VerifyDomainPage = lazy(() => import('../features/sso/verify-domain-page'));
const BillingPage = lazy(() => import('../features/billing/billing-page'));

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

function Loading() {
  const { t } = useI18n();
  return (
    <p className="hint" role="status">
      {t('app.loading')}
    </p>
  );
}

/** Signed-in (or login-off) pages; others go to sign-in. */
function RequireSession({ children }: { children: ReactNode }) {
  const { state } = useSession();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'signed-out') return <Navigate to="/sign-in" replace />;
  return children;
}

/** The sign-in family: someone with a session goes to chat. */
function PublicOnly({ children }: { children: ReactNode }) {
  const { state } = useSession();
  if (state.status === 'loading') return <Loading />;
  if (state.status !== 'signed-out') return <Navigate to="/" replace />;
  return children;
}

function RequireAdmin({ children }: { children: ReactNode }) {
  const { state } = useSession();
  return canAdminister(state) ? children : <NotFound />;
}

function RequireBillingRole({ children }: { children: ReactNode }) {
  const { state } = useSession();
  return canManageBilling(state) ? children : <NotFound />;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <main className="auth-page" id="main">
      <div>
        <p>{t('app.notFound')}</p>
        <Link to="/">{t('app.backHome')}</Link>
      </div>
    </main>
  );
}

export function App() {
  return (
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <BrowserRouter>
            <Suspense fallback={<Loading />}>
              <Routes>
                <Route
                  path="/sign-in"
                  element={
                    <PublicOnly>
                      <SignInPage />
                    </PublicOnly>
                  }
                />
                <Route
                  path="/sign-in/sso"
                  element={
                    <PublicOnly>
                      <SsoSignInPage />
                    </PublicOnly>
                  }
                />
                <Route
                  path="/sign-up"
                  element={
                    <PublicOnly>
                      <SignUpPage />
                    </PublicOnly>
                  }
                />
                <Route path="/forgot-password" element={<ForgotPasswordPage />} />
                <Route path="/reset-password" element={<ResetPasswordPage />} />
                <Route path="/invite" element={<AcceptInvitePage />} />
                <Route path="/verify-domain" element={<VerifyDomainPage />} />
                <Route
                  element={
                    <RequireSession>
                      <Shell />
                    </RequireSession>
                  }
                >
                  <Route index element={<ChatPage />} />
                  <Route path="c/:conversationId" element={<ChatPage />} />
                  <Route path="skills" element={<SkillsPage />} />
                  <Route path="usage" element={<MyUsagePage />} />
                  <Route
                    path="admin/*"
                    element={
                      <RequireAdmin>
                        <AdminConsole />
                      </RequireAdmin>
                    }
                  />
                  <Route
                    path="settings/billing"
                    element={
                      <RequireBillingRole>
                        <BillingPage />
                      </RequireBillingRole>
                    }
                  />
                  <Route path="*" element={<NotFound />} />
                </Route>
              </Routes>
            </Suspense>
          </BrowserRouter>
        </SessionProvider>
      </QueryClientProvider>
    </I18nProvider>
  );
}
