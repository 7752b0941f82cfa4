import { RetryLaterException, type ErrorCode } from '@parley/contracts';

/** A refusal by a chat limit (429), with when to try again (sent as `Retry-After` by the problem filter). */
export class LimitExceededException extends RetryLaterException {
  constructor(
    code: ErrorCode.QuotaExceeded | ErrorCode.RateLimited,
    message: string,
    details: Record<string, unknown>,
    retryAfterSeconds: number,
  ) {
    super(code, message, details, retryAfterSeconds);
  }
}
