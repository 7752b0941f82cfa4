import { DomainException, ErrorCode } from '@parley/contracts';

/** Unknown, malformed, wrong secret, revoked, expired: one answer, so a caller learns nothing more. */
export function invalidApiKey(): DomainException {
  return new DomainException(ErrorCode.InvalidApiKey, 'API key is not valid');
}

/** Also the answer for a key of another tenant. */
export function apiKeyNotFound(): DomainException {
  return new DomainException(ErrorCode.NotFound, 'No such API key in this tenant');
}
