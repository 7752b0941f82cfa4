import { InternalHeader } from '@parley/contracts';
import type { Principal } from '../auth/principal';

/** What a scope may look like on the wire (a comma separates scopes, so none may contain one). */
const SCOPE = /^[A-Za-z0-9:*._-]{1,64}$/;

/**
 * The internal headers naming the verified principal, for a call to an internal service. They are
 * built from the principal alone — never copied from the client's request — so a client's own
 * `x-user-id` or `x-principal-*` never travels. An API key has no user id; only it has a key id and scopes.
 */
export function principalHeaders(principal: Principal): Record<string, string> {
  const headers: Record<string, string> = {
    [InternalHeader.TenantId]: principal.tenantId,
    [InternalHeader.Kind]: principal.kind,
    [InternalHeader.Role]: principal.role,
    [InternalHeader.Plan]: principal.plan,
  };
  if (principal.kind === 'api-key') {
    headers[InternalHeader.ApiKeyId] = principal.apiKeyId ?? '';
    headers[InternalHeader.Scopes] = (principal.scopes ?? []).filter((s) => SCOPE.test(s)).join(',');
  } else if (principal.userId !== null) {
    headers[InternalHeader.UserId] = principal.userId;
  }
  return headers;
}
