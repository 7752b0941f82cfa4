import { ErrorCode, RetryLaterException } from '@parley/contracts';

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
