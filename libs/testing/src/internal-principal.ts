import { developmentInternalAuthSecret } from '@parley/config';
import { INTERNAL_PRINCIPAL_HEADER, SERVICE_CREDENTIAL_HEADER, type InternalPrincipalClaims } from '@parley/contracts';
import { InternalTokens } from '@parley/observability';

/** Signs as the gateway of a test platform does (services under test run with the development secret). */
const tokens = new InternalTokens(developmentInternalAuthSecret(), 'test');

/** The header carrying a principal token for these claims, as the gateway would mint it. */
export async function internalPrincipalHeaders(claims: InternalPrincipalClaims): Promise<Record<string, string>> {
  return { [INTERNAL_PRINCIPAL_HEADER]: await tokens.signPrincipal(claims) };
}

/** The claims of a principal token the gateway sent (throws when it does not verify). */
export function verifyInternalPrincipal(token: string | undefined): Promise<InternalPrincipalClaims> {
  return tokens.verifyPrincipal(token);
}

/** A service credential header, as another service would send it on an `internal/...` call. */
export async function serviceCredentialHeaders(): Promise<Record<string, string>> {
  return { [SERVICE_CREDENTIAL_HEADER]: await tokens.serviceCredential() };
}

/** `fetch` as another Parley service calls an `internal/...` route: with a service credential. */
export async function serviceFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(await serviceCredentialHeaders())) headers.set(name, value);
  return fetch(url, { ...init, headers });
}
