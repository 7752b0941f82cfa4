import { createSecretKey, type KeyObject } from 'node:crypto';
import {
  DomainException,
  ErrorCode,
  INTERNAL_PRINCIPAL_AUDIENCE,
  INTERNAL_TOKEN_ISSUER,
  INTERNAL_TOKEN_TTL_SECONDS,
  internalPrincipalClaimsSchema,
  SERVICE_CREDENTIAL_AUDIENCE,
  type InternalPrincipalClaims,
} from '@parley/contracts';
import { signHs256, verifyHs256 } from './hs256-jwt';

/** Far longer than any token we mint; refused before any parsing. */
const MAX_TOKEN_LENGTH = 2048;
/** Clocks of two replicas may differ this much. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** A service credential is reused this long, then minted again (it lives INTERNAL_TOKEN_TTL_SECONDS). */
const SERVICE_TOKEN_REUSE_MS = 30_000;

/**
 * Signs and verifies what one service tells another about who is calling: the per-request
 * principal token (minted by the gateway) and the service credential of `internal/...` routes.
 * HS256 under the internal-auth secret (config), issuer `parley-gateway`, one audience per kind,
 * at most INTERNAL_TOKEN_TTL_SECONDS old. A missing, altered, expired or foreign token is a 401.
 * Signed and checked synchronously (`hs256-jwt.ts`): both ends sit on every request's first-token path.
 */
export class InternalTokens {
  private readonly key: KeyObject;
  private serviceToken: { token: string; until: number } | undefined;

  constructor(
    secret: Buffer,
    private readonly service: string,
  ) {
    this.key = createSecretKey(secret);
  }

  signPrincipal(claims: InternalPrincipalClaims): Promise<string> {
    return this.sign({ ...claims }, INTERNAL_PRINCIPAL_AUDIENCE, claims.uid ?? claims.akid ?? claims.knd);
  }

  async verifyPrincipal(token: string | undefined): Promise<InternalPrincipalClaims> {
    const payload = await this.verify(token, INTERNAL_PRINCIPAL_AUDIENCE, ErrorCode.InvalidPrincipal);
    const parsed = internalPrincipalClaimsSchema.safeParse(payload);
    if (!parsed.success) throw refusal(ErrorCode.InvalidPrincipal);
    return parsed.data;
  }

  /** This service's credential for an `internal/...` call (reused while it has more than half its life). */
  async serviceCredential(): Promise<string> {
    const now = Date.now();
    if (this.serviceToken && this.serviceToken.until > now) return this.serviceToken.token;
    const token = await this.sign({ svc: this.service }, SERVICE_CREDENTIAL_AUDIENCE, this.service);
    this.serviceToken = { token, until: now + SERVICE_TOKEN_REUSE_MS };
    return token;
  }

  /** The calling service's name, or a 401 `invalid_service_credential`. */
  async verifyServiceCredential(token: string | undefined): Promise<string> {
    const payload = await this.verify(token, SERVICE_CREDENTIAL_AUDIENCE, ErrorCode.InvalidServiceCredential);
    const service = (payload as { svc?: unknown }).svc;
    if (typeof service !== 'string' || service.length === 0 || service.length > 64) {
      throw refusal(ErrorCode.InvalidServiceCredential);
    }
    return service;
  }

  private sign(claims: Record<string, unknown>, audience: string, subject: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      ...claims,
      iss: INTERNAL_TOKEN_ISSUER,
      aud: audience,
      sub: subject,
      iat: now,
      exp: now + INTERNAL_TOKEN_TTL_SECONDS,
    };
    return Promise.resolve(signHs256(payload, this.key));
  }

  private verify(token: string | undefined, audience: string, code: ErrorCode): Promise<unknown> {
    if (!token || token.length > MAX_TOKEN_LENGTH) return Promise.reject(refusal(code));
    const payload = verifyHs256(token, this.key, {
      issuer: INTERNAL_TOKEN_ISSUER,
      audience,
      clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
      maxAgeSeconds: INTERNAL_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS,
    });
    return payload ? Promise.resolve(payload) : Promise.reject(refusal(code));
  }
}

function refusal(code: ErrorCode): DomainException {
  return new DomainException(
    code,
    code === ErrorCode.InvalidServiceCredential
      ? 'This route needs a valid service credential'
      : 'Missing, invalid or expired internal principal',
  );
}
