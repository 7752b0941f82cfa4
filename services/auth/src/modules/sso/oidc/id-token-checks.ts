import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { OIDC_LIMITS, type OidcAlgorithm } from '@parley/contracts';
import type { LoginTrace } from '../login-trace';

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  nonce: string;
  algorithms: readonly OidcAlgorithm[];
}

/**
 * The id_token's checks, each a step of the trace: the algorithm is one the connection allows
 * (never `none` nor HS*, which the settings cannot name); the signature by a key of the IdP's JWKS
 * (fetched again once for an unknown key); iss, aud (our client id), exp and iat within
 * OIDC_LIMITS.clockSkewSeconds; azp equal to our client id when present or when there are several
 * audiences; the nonce of this login.
 */
export async function verifyIdToken(
  idToken: string,
  keys: (refresh: boolean) => Promise<JWTVerifyGetKey>,
  expected: IdTokenExpectations,
  trace: LoginTrace,
): Promise<JWTPayload> {
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(idToken).alg;
  } catch {
    return trace.fail('id_token', 'response_malformed', 'The id_token is not a JWS');
  }
  if (!alg || !(expected.algorithms as readonly string[]).includes(alg)) {
    trace.fail(
      'algorithm',
      'algorithm_not_allowed',
      `alg ${alg ?? '(none)'} is not one of ${expected.algorithms.join(', ')}`,
    );
  }
  trace.pass('algorithm', alg);
  const payload = await verified(idToken, keys, expected, trace);
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.iat !== 'number' || payload.iat > now + OIDC_LIMITS.clockSkewSeconds) {
    trace.fail('iat', 'assertion_not_yet_valid', 'The id_token is issued in the future (or has no iat)');
  }
  trace.pass('iss, aud, exp, iat', `issuer ${expected.issuer}`);
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if ((audiences.length > 1 || payload.azp !== undefined) && payload.azp !== expected.clientId) {
    trace.fail('azp', 'azp_mismatch', `azp ${String(payload.azp)} is not our client id`);
  }
  if (payload.nonce !== expected.nonce) trace.fail('nonce', 'nonce_mismatch', 'The nonce is not this login’s');
  trace.pass('nonce');
  return payload;
}

async function verified(
  idToken: string,
  keys: (refresh: boolean) => Promise<JWTVerifyGetKey>,
  expected: IdTokenExpectations,
  trace: LoginTrace,
): Promise<JWTPayload> {
  const options = {
    issuer: expected.issuer,
    audience: expected.clientId,
    algorithms: [...expected.algorithms],
    clockTolerance: OIDC_LIMITS.clockSkewSeconds,
    requiredClaims: ['exp', 'iat', 'sub'],
  };
  try {
    try {
      return (await jwtVerify(idToken, await keys(false), options)).payload;
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      return (await jwtVerify(idToken, await keys(true), options)).payload;
    }
  } catch (error) {
    if (error instanceof errors.JWTExpired) return trace.fail('exp', 'token_expired', 'The id_token has expired');
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === 'iss') return trace.fail('iss', 'issuer_mismatch', `iss is not ${expected.issuer}`);
      if (error.claim === 'aud') return trace.fail('aud', 'audience_mismatch', 'aud does not name our client id');
      if (error.claim === 'nbf') return trace.fail('nbf', 'assertion_not_yet_valid', 'The id_token is not valid yet');
      return trace.fail('claims', 'response_malformed', error.message);
    }
    if (error instanceof errors.JOSEAlgNotAllowed) {
      return trace.fail('algorithm', 'algorithm_not_allowed', error.message);
    }
    if (error instanceof errors.JOSEError) {
      return trace.fail('signature', 'signature_invalid', `The id_token's signature does not verify (${error.code})`);
    }
    throw error;
  }
}
