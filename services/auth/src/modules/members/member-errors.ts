import { DomainException, ErrorCode } from '@parley/contracts';

/** Also the answer for a user of another tenant: the caller learns nothing about other tenants. */
export function memberNotFound(): DomainException {
  return new DomainException(ErrorCode.NotFound, 'No such member in this tenant');
}

export function lastOwner(): DomainException {
  return new DomainException(ErrorCode.LastOwner, 'A tenant keeps at least one owner: make someone else owner first');
}
