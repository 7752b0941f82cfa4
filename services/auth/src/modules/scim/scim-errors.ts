import { DomainException, ErrorCode } from '@parley/contracts';

/** RFC 7644 §3.12 `scimType` values Parley answers with. */
export type ScimType =
  'invalidFilter' | 'invalidSyntax' | 'invalidPath' | 'invalidValue' | 'uniqueness' | 'mutability' | 'tooMany';

/** A SCIM error: a domain error whose details carry the `scimType` (the SCIM filter renders it). */
export function scimError(code: ErrorCode, message: string, scimType?: ScimType): DomainException {
  return new DomainException(code, message, scimType ? { scimType } : undefined);
}

export const scimInvalidFilter = (message: string) => scimError(ErrorCode.ValidationFailed, message, 'invalidFilter');
export const scimInvalidValue = (message: string) => scimError(ErrorCode.ValidationFailed, message, 'invalidValue');
export const scimInvalidPath = (message: string) => scimError(ErrorCode.ValidationFailed, message, 'invalidPath');
export const scimNotFound = (what: 'User' | 'Group') => scimError(ErrorCode.NotFound, `No such ${what}`);
export const scimUniqueness = (message: string) => scimError(ErrorCode.Conflict, message, 'uniqueness');
