import { ERROR_HTTP_STATUS, ErrorCode } from './error-code';

/**
 * A failure the domain knows about. It carries a code from ErrorCode; each transport maps it at the
 * edge (HTTP problem body, RPC error reply). `retryable` tells the bus whether a retry may help.
 */
export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'DomainException';
  }

  get httpStatus(): number {
    return ERROR_HTTP_STATUS[this.code];
  }
}

/**
 * A refusal that says when to try again (a limit, a full queue): the HTTP edge sends
 * `retryAfterSeconds` as `Retry-After`.
 */
export class RetryLaterException extends DomainException {
  constructor(
    code: ErrorCode,
    message: string,
    details: Record<string, unknown>,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message, details);
  }
}

/** The wire form of an error, in HTTP bodies and bus replies alike. */
export interface ErrorBody {
  code: ErrorCode | string;
  message: string;
  requestId?: string;
  errorId?: string;
  details?: Record<string, unknown>;
}
