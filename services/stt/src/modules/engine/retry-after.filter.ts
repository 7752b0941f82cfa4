import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import type { Response } from 'express';
import { LOGGER, ProblemFilter, type Logger } from '@parley/observability';
import { RetryLaterException } from './busy.exception';

/** The platform's problem mapper, plus `Retry-After` on `stt_busy` and `quota_exceeded`. */
@Catch()
export class RetryAfterFilter implements ExceptionFilter {
  private readonly problems: ProblemFilter;

  constructor(@Inject(LOGGER) logger: Logger) {
    this.problems = new ProblemFilter(logger);
  }

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() === 'http' && exception instanceof RetryLaterException) {
      const res = host.switchToHttp().getResponse<Response>();
      if (!res.headersSent) res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    return this.problems.catch(exception, host);
  }
}
