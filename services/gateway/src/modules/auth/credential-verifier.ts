import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from './principal';

/**
 * One kind of credential (access tokens, API keys). The
 * guard asks each verifier in turn whether it recognises the request's credential; the first that
 * does decides: a principal, or a 401 DomainException (no other verifier gets a second try).
 */
export interface CredentialVerifier {
  recognises(headers: IncomingHttpHeaders): boolean;
  verify(headers: IncomingHttpHeaders): Promise<Principal>;
  /**
   * The principal of a credential this verifier verified moments ago and still remembers (no
   * lookup, no signature check: free), else undefined.
   */
  remembered?(headers: IncomingHttpHeaders): Principal | undefined;
}

/** Multi-provider token: the verifiers, in the order they are asked. */
export const CREDENTIAL_VERIFIERS = Symbol('CREDENTIAL_VERIFIERS');
