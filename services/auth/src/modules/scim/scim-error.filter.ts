import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { DomainException, ErrorCode, ERROR_HTTP_STATUS, SCIM_CONTENT_TYPE, ScimSchema } from '@parley/contracts';
import { RequestContext } from '@parley/observability';

/**
 * Errors of the SCIM routes in RFC 7644 §3.12 form (`schemas`, `status` as a string, `scimType`,
 * `detail`), which Okta and Entra read, plus Parley's usual `error` object with its code.
 * Unexpected errors are rethrown to the global filter (500 with an error id, logged).
 */
@Catch(DomainException, HttpException)
export class ScimErrorFilter implements ExceptionFilter {
  catch(exception: DomainException | HttpException, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const requestId = RequestContext.current()?.requestId ?? '';
    const domain =
      exception instanceof DomainException
        ? exception
        : new DomainException(
            exception.getStatus() === 404 ? ErrorCode.RouteNotFound : ErrorCode.ValidationFailed,
            exception.message,
          );
    const status = exception instanceof DomainException ? ERROR_HTTP_STATUS[domain.code] : exception.getStatus();
    const scimType = (domain.details as { scimType?: string } | undefined)?.scimType;
    if (status === 503) res.setHeader('Retry-After', '5');
    res
      .status(status)
      .type(SCIM_CONTENT_TYPE)
      .send(
        JSON.stringify({
          schemas: [ScimSchema.Error],
          status: String(status),
          ...(scimType ? { scimType } : {}),
          detail: domain.message,
          error: { code: domain.code, message: domain.message, requestId },
        }),
      );
  }
}
