import { DomainException, ErrorCode, USAGE_DEFAULT_DAYS, USAGE_MAX_DAYS } from '@parley/contracts';

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A range of UTC days, both ends included: `[start, end)` in instants. */
export interface UsageRange {
  from: string;
  to: string;
  /** Every day of the range, oldest first. */
  days: string[];
  /** `from` at 00:00 UTC. */
  start: Date;
  /** The day after `to` at 00:00 UTC (exclusive). */
  end: Date;
}

/**
 * The requested range: `to` defaults to today (UTC), `from` to USAGE_DEFAULT_DAYS - 1 days before
 * `to`. Not a real YYYY-MM-DD day, `from` after `to`, or more than USAGE_MAX_DAYS days: 400.
 */
export function usageRange(from: string | undefined, to: string | undefined, now: Date = new Date()): UsageRange {
  const toDay = to === undefined ? Math.floor(now.getTime() / DAY_MS) : dayNumber(to, 'to');
  const fromDay = from === undefined ? toDay - (USAGE_DEFAULT_DAYS - 1) : dayNumber(from, 'from');
  if (fromDay > toDay) throw invalid('from must not be after to');
  const count = toDay - fromDay + 1;
  if (count > USAGE_MAX_DAYS) throw invalid(`the range must not be longer than ${USAGE_MAX_DAYS} days`);
  return {
    from: isoDay(fromDay),
    to: isoDay(toDay),
    days: Array.from({ length: count }, (_, i) => isoDay(fromDay + i)),
    start: new Date(fromDay * DAY_MS),
    end: new Date((toDay + 1) * DAY_MS),
  };
}

/** `[end - days, end)`: the window of `days` UTC days that ends with the range's last day. */
export function trailingWindow(range: UsageRange, days: number): { start: Date; end: Date } {
  return { start: new Date(range.end.getTime() - days * DAY_MS), end: range.end };
}

function dayNumber(value: string, field: string): number {
  const match = DATE.exec(value);
  if (match) {
    const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    if (Number(match[1]) >= 1970 && isoDay(ms / DAY_MS) === value) return ms / DAY_MS;
  }
  throw invalid(`${field} must be a date YYYY-MM-DD`);
}

function isoDay(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

function invalid(message: string): DomainException {
  return new DomainException(ErrorCode.ValidationFailed, message);
}
