import type { MeResponse, SignedInResponse } from '@parley/contracts';
import { ADMIN_ROLES, BILLING_ROLES } from '@parley/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api } from '../../api/client';
import { authApi } from '../../api/endpoints';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason?: 'ended' }
  /** Signed in with a person's session (access token in memory, refresh token in the cookie). */
  | { status: 'signed-in'; me: MeResponse; email?: string }
  /** Self-hosted with login off: the gateway answers as the default principal. */
  | { status: 'open'; me: MeResponse };

interface Session {
  state: SessionState;
  /** Take the tokens of sign-up, sign-in or invite acceptance. */
  begin: (answer: SignedInResponse) => Promise<void>;
  /** Move to another of the person's organisations (a new session there). */
  switchOrganization: (slug: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** Whether the person may open the admin console (owners and admins with a real session). */
/** Owners and billing members see the billing page (the billing service checks the role again). */
export function canManageBilling(state: SessionState): boolean {
  return state.status === 'signed-in' && state.me.role !== null && BILLING_ROLES.includes(state.me.role);
}

export function canAdminister(state: SessionState): boolean {
  return state.status === 'signed-in' && state.me.role !== null && ADMIN_ROLES.includes(state.me.role);
}

/**
 * At start: renew from the refresh cookie (a reload keeps you signed in without the token ever
 * being in storage); failing that, ask `/me` without a token, which answers only when the server
 * runs with login off.
 */
async function restore(): Promise<SessionState> {
  const token = await api.tokens.refresh().catch(() => null);
  if (token) return { status: 'signed-in', me: await authApi.me() };
  try {
    return { status: 'open', me: await authApi.me() };
  } catch {
    return { status: 'signed-out' };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const queryClient = useQueryClient();

  useEffect(() => {
    let live = true;
    void restore().then((next) => live && setState(next));
    const off = api.onSessionEnded(() => {
      queryClient.clear();
      setState({ status: 'signed-out', reason: 'ended' });
    });
    return () => {
      live = false;
      off();
    };
  }, [queryClient]);

  const begin = useCallback(
    async (answer: SignedInResponse) => {
      api.tokens.accept(answer);
      // A socket is bound to the person and organisation that opened it.
      api.sessionChanged();
      queryClient.clear();
      setState({ status: 'signed-in', me: await authApi.me(), email: answer.user.email });
    },
    [queryClient],
  );

  const switchOrganization = useCallback(
    async (slug: string) => begin(await authApi.switchOrganization(slug)),
    [begin],
  );

  const signOut = useCallback(async () => {
    let idpLogoutUrl: string | undefined;
    try {
      idpLogoutUrl = (await authApi.signOut())?.idpLogoutUrl;
    } finally {
      api.tokens.clear();
      api.sessionChanged();
      queryClient.clear();
      setState({ status: 'signed-out' });
    }
    // SAML single logout: the IdP ends its session too, then sends the browser back to sign-in.
    if (idpLogoutUrl && /^https?:\/\//.test(idpLogoutUrl)) window.location.assign(idpLogoutUrl);
  }, [queryClient]);

  const value = useMemo(
    () => ({ state, begin, switchOrganization, signOut }),
    [state, begin, switchOrganization, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
