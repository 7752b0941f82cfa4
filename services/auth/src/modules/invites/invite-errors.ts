import { DomainException, ErrorCode } from '@parley/contracts';

/** Unknown, already used, revoked, or its mail never went out. */
export function inviteInvalid(): DomainException {
  return new DomainException(ErrorCode.InviteInvalid, 'This invite link is not valid (it may have been used already)');
}

export function inviteExpired(): DomainException {
  return new DomainException(ErrorCode.InviteExpired, 'This invite link has expired; ask for a new invite');
}

/** Also the answer for an invite of another tenant. */
export function inviteNotFound(): DomainException {
  return new DomainException(ErrorCode.NotFound, 'No such invite in this tenant');
}

export function memberLimitReached(limit: number): DomainException {
  return new DomainException(ErrorCode.MemberLimitReached, `The plan allows ${limit} members`, { limit });
}

/**
 * A person single sign-on or directory sync would add past the plan's seats: refused before anyone
 * (Stripe included) is asked, with the limit.
 */
export function seatLimitReached(limit: number): DomainException {
  return new DomainException(ErrorCode.SeatLimitReached, `The plan has ${limit} seats, all taken`, { limit });
}
