import { DomainException, ErrorCode } from '@parley/contracts';

/** A refusal with when to try again (429 `stt_busy`, `quota_exceeded`): sent as `Retry-After` by RetryAfterFilter. */
export class RetryLaterException extends DomainException {
  constructor(
    code: ErrorCode.SttBusy | ErrorCode.QuotaExceeded,
    message: string,
    details: Record<string, unknown>,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message, details);
  }
}

/** Every worker busy and the queue full. */
export class BusyException extends RetryLaterException {
  constructor(retryAfterSeconds: number) {
    super(
      ErrorCode.SttBusy,
      'Every speech worker is busy and the queue is full; try again shortly',
      { retryAfterSeconds },
      retryAfterSeconds,
    );
  }
}
