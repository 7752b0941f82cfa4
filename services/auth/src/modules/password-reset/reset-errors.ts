import { DomainException, ErrorCode } from '@parley/contracts';

/** Unknown, already used, or its mail never went out. */
export function resetTokenInvalid(): DomainException {
  return new DomainException(ErrorCode.ResetTokenInvalid, 'This reset link is not valid (it may have been used)');
}

export function resetTokenExpired(): DomainException {
  return new DomainException(ErrorCode.ResetTokenExpired, 'This reset link has expired; ask for a new one');
}
