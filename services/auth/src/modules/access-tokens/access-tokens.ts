import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { authSettings, type AuthSettings } from '../../auth-settings';
import { SIGNING_ALG } from '../signing-keys/signing-key';
import { SigningKeyStore } from '../signing-keys/signing-key-store';
import { ACCESS_TOKEN_TYP, accessClaimsSchema, type AccessSubject, type VerifiedAccess } from './access-token.claims';

/** Longer than any token we issue; refuse before parsing. */
const MAX_TOKEN_LENGTH = 4096;

/**
 * Short-lived access tokens: JWTs signed with the active EdDSA key (header kid, typ at+jwt), claims
 * iss, aud, sub (user), tid (tenant), role, sid (session), plan, iat, nbf, exp, jti. Verification
 * accepts only EdDSA, our issuer and audience, a known kid whose key may still verify, and a token
 * inside its validity window.
 */
@Injectable()
export class AccessTokens {
  private readonly settings: AuthSettings;

  constructor(
    private readonly keys: SigningKeyStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.settings = authSettings(config);
  }

  async issue(subject: AccessSubject): Promise<{ accessToken: string; expiresIn: number }> {
    const { kid, privateKey } = await this.keys.signer();
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = this.settings.accessTokenTtlSeconds;
    const accessToken = await new SignJWT({
      tid: subject.tenantId,
      role: subject.role,
      sid: subject.sessionId,
      plan: subject.plan,
    })
      .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: ACCESS_TOKEN_TYP })
      .setIssuer(this.settings.jwt.issuer)
      .setAudience(this.settings.jwt.audience)
      .setSubject(subject.userId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + expiresIn)
      .setJti(randomUUID())
      .sign(privateKey);
    return { accessToken, expiresIn };
  }

  /** The verified subject of a token, or a 401 DomainException saying why not (never which key). */
  async verify(token: string): Promise<VerifiedAccess> {
    if (token.length > MAX_TOKEN_LENGTH) throw invalid('Access token is too long');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        async (header) => {
          const key = typeof header.kid === 'string' ? await this.keys.verificationKey(header.kid) : undefined;
          if (!key) throw new errors.JWKSNoMatchingKey();
          return key;
        },
        {
          algorithms: [SIGNING_ALG],
          issuer: this.settings.jwt.issuer,
          audience: this.settings.jwt.audience,
          typ: ACCESS_TOKEN_TYP,
          requiredClaims: ['iss', 'aud', 'sub', 'iat', 'nbf', 'exp', 'jti'],
        },
      ));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new DomainException(ErrorCode.AccessTokenExpired, 'Access token has expired');
      }
      if (error instanceof errors.JOSEError) throw invalid('Access token is invalid');
      throw error; // the key store failing is an outage, not a bad token
    }
    const claims = accessClaimsSchema.safeParse(payload);
    if (!claims.success) throw invalid('Access token claims are invalid');
    const { sub, tid, role, sid, plan, jti, exp } = claims.data;
    return { userId: sub, tenantId: tid, role, sessionId: sid, plan, tokenId: jti, expiresAt: new Date(exp * 1000) };
  }
}

function invalid(message: string): DomainException {
  return new DomainException(ErrorCode.InvalidAccessToken, message);
}
