import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { throwError, type Observable } from 'rxjs';
import { DomainException, ErrorCode, RetryLaterException, type ErrorBody } from '@parley/contracts';
import { RequestContext } from '../context/request-context';
import type { Logger } from '../logging/logger';
import { DEPENDENCY_RETRY_AFTER_SECONDS, dependencyOutage } from './dependency-outage';
import { neutralResponse } from './http-response';

/**
 * The one edge mapper: domain errors become `{ error: { code, message, requestId } }` with the
 * status of their code; framework errors get a code too; a Postgres, Redis or Kafka outage (a
 * refused or lost connection, a pool timeout) becomes a retryable 503 `service_unavailable`; anything
 * else unexpected becomes a 500 with an errorId that is logged. Every 503 carries `Retry-After`. In an RPC (Kafka) context it rethrows, so the bus decides retry/reply.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() !== 'http') {
      return throwError(() => exception);
    }
    const res = neutralResponse(host.switchToHttp().getResponse<unknown>());
    const requestId = RequestContext.current()?.requestId ?? res.getHeader('x-request-id') ?? randomUUID();
    const { status, body } = this.toProblem(exception, requestId);
    if (res.headersSent()) {
      res.end();
      return;
    }
    // A limit or a full queue says when; every 503 is retryable too (a dependency outage, a draining replica).
    if (exception instanceof RetryLaterException) {
      res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    } else if (status === 503 && !res.getHeader('retry-after')) {
      res.setHeader('Retry-After', String(DEPENDENCY_RETRY_AFTER_SECONDS));
    }
    res.json(status, { error: body });
  }

  private toProblem(exception: unknown, requestId: string): { status: number; body: ErrorBody } {
    if (exception instanceof DomainException) {
      if (exception.httpStatus >= 500) this.logger.error({ err: exception, code: exception.code }, exception.message);
      return {
        status: exception.httpStatus,
        body: {
          code: exception.code,
          message: exception.message,
          requestId,
          ...(exception.details ? { details: exception.details } : {}),
        },
      };
    }
    const bodyParserError = exception as { type?: string; status?: number };
    if (bodyParserError?.type === 'entity.too.large') {
      return {
        status: 413,
        body: { code: ErrorCode.PayloadTooLarge, message: 'Request body is too large', requestId },
      };
    }
    if (bodyParserError?.type === 'entity.parse.failed') {
      return {
        status: 400,
        body: { code: ErrorCode.MalformedJson, message: 'Request body is not valid JSON', requestId },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const detail =
        typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
      const code = HTTP_CODES[status] ?? (status >= 500 ? ErrorCode.Internal : ErrorCode.ValidationFailed);
      const message = Array.isArray(detail)
        ? detail.join('; ')
        : typeof detail === 'string'
          ? detail
          : exception.message;
      return { status, body: { code, message, requestId } };
    }
    const errorId = randomUUID();
    const dependency = dependencyOutage(exception);
    if (dependency) {
      this.logger.warn({ err: exception, errorId, dependency }, `${dependency} unavailable`);
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        body: {
          code: ErrorCode.ServiceUnavailable,
          message: `A dependency (${dependency}) is unavailable; retry shortly`,
          requestId,
          errorId,
          details: { dependency },
        },
      };
    }
    this.logger.error({ err: exception, errorId }, 'Unhandled error');
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: { code: ErrorCode.Internal, message: 'Internal error', requestId, errorId },
    };
  }
}

const HTTP_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  404: ErrorCode.RouteNotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  503: ErrorCode.ServiceUnavailable,
};
