import { errors } from 'jose';
import { describe, expect, it } from 'vitest';
import { toProblem } from './jwt-credential-verifier';

describe('token failures', () => {
  it.each([
    [new errors.JWTExpired('expired', {}), 'access_token_expired'],
    [new errors.JWSSignatureVerificationFailed(), 'invalid_access_token'],
    [new errors.JOSEAlgNotAllowed('alg'), 'invalid_access_token'],
    [new errors.JWKSNoMatchingKey(), 'invalid_access_token'],
    [new errors.JWTClaimValidationFailed('nbf', {}, 'nbf', 'check_failed'), 'invalid_access_token'],
    [new errors.JWTInvalid('bad'), 'invalid_access_token'],
    [new errors.JWKSTimeout(), 'service_unavailable'],
    [new errors.JOSEError('Expected 200 OK from the JSON Web Key Set HTTP response'), 'service_unavailable'],
    [new TypeError('fetch failed'), 'service_unavailable'],
  ])('map %s to %s', (error, code) => {
    expect(toProblem(error).code).toBe(code);
  });
});
