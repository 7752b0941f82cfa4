import { DomainException, type ErrorCode } from '@parley/contracts';

/** A refusal by a chat limit (429), with when to try again: sent as `Retry-After` by RetryAfterFilter. */
export class LimitExceededException extends DomainException {
  constructor(
    code: ErrorCode.QuotaExceeded | ErrorCode.RateLimited | ErrorCode.BudgetExceeded,
    message: string,
    details: Record<string, unknown>,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message, details);
  }
}
