import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { catchError, type Observable, throwError } from 'rxjs';
import { DomainException, ErrorCode } from '@parley/contracts';

/** A refused attempt (`too_many_attempts`) carries `Retry-After` in seconds, as RFC 9110 describes. */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        const seconds = retryAfterOf(error);
        if (seconds !== undefined && context.getType() === 'http') {
          context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
        }
        return throwError(() => error);
      }),
    );
  }
}

function retryAfterOf(error: unknown): number | undefined {
  if (!(error instanceof DomainException) || error.code !== ErrorCode.TooManyAttempts) return undefined;
  const seconds = error.details?.retryAfterSeconds;
  return typeof seconds === 'number' && seconds > 0 ? seconds : undefined;
}
