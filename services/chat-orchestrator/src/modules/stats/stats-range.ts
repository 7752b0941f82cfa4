import { DomainException, ErrorCode } from '@parley/contracts';

/** Longest range one request may ask for, in days (both ends included). */
export const STATS_MAX_DAYS = 366;
/** The range when none is given: the last 30 days, today included. */
export const STATS_DEFAULT_DAYS = 30;

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A range of UTC days, both ends included. */
export interface StatsRange {
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
 * The requested range: `to` defaults to today (UTC), `from` to 29 days before `to`. A date that is
 * not a real YYYY-MM-DD day, `from` after `to`, or more than STATS_MAX_DAYS days: 400.
 */
export function statsRange(from: string | undefined, to: string | undefined, now: Date = new Date()): StatsRange {
  const toDay = to === undefined ? Math.floor(now.getTime() / DAY_MS) : dayNumber(to, 'to');
  const fromDay = from === undefined ? toDay - (STATS_DEFAULT_DAYS - 1) : dayNumber(from, 'from');
  if (fromDay > toDay) throw invalid('from must not be after to');
  const count = toDay - fromDay + 1;
  if (count > STATS_MAX_DAYS) throw invalid(`the range must not be longer than ${STATS_MAX_DAYS} days`);
  const days = Array.from({ length: count }, (_, i) => isoDay(fromDay + i));
  return {
    from: isoDay(fromDay),
    to: isoDay(toDay),
    days,
    start: new Date(fromDay * DAY_MS),
    end: new Date((toDay + 1) * DAY_MS),
  };
}

/** Days since 1970-01-01 of a YYYY-MM-DD date that exists (no 2025-02-30). */
function dayNumber(value: string, field: string): number {
  const match = DATE.exec(value);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const ms = Date.UTC(year, month - 1, day);
    if (year >= 1970 && year <= 9999 && isoDay(ms / DAY_MS) === value) return ms / DAY_MS;
  }
  throw invalid(`${field} must be a date YYYY-MM-DD`);
}

function isoDay(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

function invalid(message: string): DomainException {
  return new DomainException(ErrorCode.ValidationFailed, message);
}
