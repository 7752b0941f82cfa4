import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException, ErrorCode } from '@parley/contracts';

/**
 * The tenant comes only from verified credentials. A client that names one on the public API
 * (X-Tenant-ID, any case: Node lower-cases header names) is refused before anything is
 * authenticated or forwarded: a Fastify `onRequest` hook (after the request context and CORS), its
 * error answered by the problem filter. `/api` is matched as its routes are, ignoring case.
 */
export function rejectTenantHeader(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
  const api = request.url.slice(0, 5).toLowerCase() === '/api/';
  if (api && request.headers['x-tenant-id'] !== undefined) {
    done(
      new DomainException(
        ErrorCode.TenantHeaderNotAllowed,
        'The X-Tenant-ID header is not accepted: the tenant comes from your credentials',
      ),
    );
    return;
  }
  done();
}
