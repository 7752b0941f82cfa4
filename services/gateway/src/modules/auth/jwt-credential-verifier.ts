import type { IncomingHttpHeaders } from 'node:http';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { DomainException, ErrorCode } from '@parley/contracts';
import { principalFromClaims } from './access-token-claims';
import type { CredentialVerifier } from './credential-verifier';
import type { JwtSettings } from './jwt-settings';
import type { Principal } from './principal';

/** Far longer than any access token we issue; refused before any parsing. */
const MAX_TOKEN_LENGTH = 4096;
/** A verified token is remembered at most this long and never past its exp: it is verified again
 * (against the key set as it is then) at least once a minute. */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 10_000;
const BEARER_JWT = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

/**
 * Access tokens: `Authorization: Bearer <jwt>`, EdDSA only, signed by a key from the auth service's
 * JWKS (cached; an unknown kid refetches at most once per cooldown, so rotation works and random
 * kids cannot hammer the auth service), our issuer and audience, inside exp/nbf with a small clock
 * tolerance, and claims of the right shape. A token that verified is remembered (exact string,
 * bounded, until min(exp, 60 s)), so a client's next calls skip the signature check.
 */
export class JwtCredentialVerifier implements CredentialVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly settings: JwtSettings) {
    this.jwks = createRemoteJWKSet(new URL(settings.jwksUrl), {
      timeoutDuration: 2000,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    });
  }

  recognises(headers: IncomingHttpHeaders): boolean {
    return /^Bearer +[^.\s]+\.[^.\s]+\./i.test(headers.authorization ?? '');
  }

  remembered(headers: IncomingHttpHeaders): Principal | undefined {
    const token = tokenOf(headers);
    const known = token === undefined ? undefined : this.verified.get(token);
    return known && known.until > Date.now() ? known.principal : undefined;
  }

  async verify(headers: IncomingHttpHeaders): Promise<Principal> {
    const token = tokenOf(headers);
    if (!token) throw invalid();
    const known = this.verified.get(token);
    if (known && known.until > Date.now()) return known.principal;
    if (known) this.verified.delete(token);
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        algorithms: ['EdDSA'],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        clockTolerance: this.settings.clockToleranceSeconds,
        requiredClaims: ['sub', 'iat', 'nbf', 'exp', 'jti'],
      }));
    } catch (error) {
      throw toProblem(error);
    }
    const principal = principalFromClaims(payload);
    if (!principal) throw invalid();
    this.remember(token, principal, (payload as { exp: number }).exp * 1000);
    return principal;
  }

  private remember(token: string, principal: Principal, expiresAt: number): void {
    if (this.verified.size >= VERIFIED_MAX) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, { principal, until: Math.min(expiresAt, Date.now() + VERIFIED_TTL_MS) });
  }
}

function tokenOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization ?? '';
  return header.length <= MAX_TOKEN_LENGTH + 7 ? BEARER_JWT.exec(header)?.[1] : undefined;
}

function invalid(): DomainException {
  return new DomainException(ErrorCode.InvalidAccessToken, 'Access token is invalid');
}

/**
 * An expired token is 401 token_expired; any other token fault is 401 token_invalid (never saying
 * which check failed). A key set that cannot be fetched or read (network error, timeout, non-200,
 * bad JSON: jose reports the last two as a generic JOSEError) is our fault, not the token's: 503.
 */
export function toProblem(error: unknown): DomainException {
  if (error instanceof errors.JWTExpired) {
    return new DomainException(ErrorCode.AccessTokenExpired, 'Access token has expired');
  }
  const keySetFault =
    !(error instanceof errors.JOSEError) ||
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === 'ERR_JOSE_GENERIC';
  if (keySetFault) {
    return new DomainException(
      ErrorCode.ServiceUnavailable,
      'Credentials cannot be verified right now',
      undefined,
      true,
    );
  }
  return invalid();
}
