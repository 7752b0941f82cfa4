import { BusHeader, DomainException, ErrorCode } from '@parley/contracts';
import { dependencyOutage } from '@parley/observability';
import type { DecodedHeaders } from './headers';

/** A message that goes to the dead-letter topic at once (malformed, breaks its contract), with its code. */
export class DeadLetter extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** True when the message carries an `x-deadline` (epoch ms) that has passed. */
export function isPastDeadline(headers: DecodedHeaders): boolean {
  const raw = headers[BusHeader.Deadline];
  if (raw === undefined) return false;
  const deadline = Number(raw);
  return Number.isFinite(deadline) && Date.now() > deadline;
}

/** The code and message a failure is replied and dead-lettered with. */
export function describe(error: unknown): { code: string; message: string } {
  if (error instanceof DeadLetter || error instanceof DomainException)
    return { code: error.code, message: error.message };
  // A Postgres/Redis outage is a retryable 503 for the requester too, never an internal error.
  const dependency = dependencyOutage(error);
  if (dependency) return { code: ErrorCode.ServiceUnavailable, message: `A dependency (${dependency}) is unavailable` };
  return { code: ErrorCode.Internal, message: error instanceof Error ? error.message : String(error) };
}
