import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainException, ErrorCode } from '@parley/contracts';

/**
 * The tenant comes only from verified credentials. A client that names one (X-Tenant-ID, any case:
 * Node lower-cases header names) is refused before anything is authenticated or forwarded. It
 * throws (rather than `next(error)`) so Nest routes the error through the ProblemFilter.
 */
export function rejectTenantHeader(req: IncomingMessage, _res: ServerResponse, next: (error?: unknown) => void): void {
  if (req.headers['x-tenant-id'] !== undefined) {
    throw new DomainException(
      ErrorCode.TenantHeaderNotAllowed,
      'The X-Tenant-ID header is not accepted: the tenant comes from your credentials',
    );
  }
  next();
}
