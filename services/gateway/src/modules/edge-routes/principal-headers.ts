import { INTERNAL_PRINCIPAL_HEADER, type InternalPrincipalClaims } from '@parley/contracts';
import type { InternalTokens } from '@parley/observability';
import type { Principal } from '../auth/principal';

/** What a scope may look like in a principal token. */
const SCOPE = /^[A-Za-z0-9:*._-]{1,64}$/;

/**
 * The signed principal token for one call to an internal service, minted from the verified
 * principal alone (tenant, user, session, API key and scopes, the current role, the request id),
 * never from the client's headers, and where the call came from (the address as trust proxy
 * computes it, the user agent) for audit entries. It lives at most 60 s; services trust nothing else.
 */
export async function principalHeaders(
  principal: Principal,
  requestId: string,
  tokens: InternalTokens,
  origin: { ip?: string; userAgent?: string } = {},
): Promise<Record<string, string>> {
  const claims: InternalPrincipalClaims = {
    tid: principal.tenantId,
    knd: principal.kind,
    role: principal.role,
    plan: principal.plan,
    rid: requestId.slice(0, 200),
  };
  const ip = origin.ip?.slice(0, 64);
  const userAgent = origin.userAgent?.slice(0, 512);
  if (ip) claims.cip = ip;
  if (userAgent) claims.cua = userAgent;
  if (principal.kind === 'api-key') {
    claims.akid = principal.apiKeyId ?? '';
    claims.scp = (principal.scopes ?? []).filter((s) => SCOPE.test(s)).slice(0, 32);
  } else if (principal.kind === 'user' && principal.userId !== null) {
    claims.uid = principal.userId;
    if (principal.sessionId) claims.sid = principal.sessionId;
  }
  return { [INTERNAL_PRINCIPAL_HEADER]: await tokens.signPrincipal(claims) };
}
