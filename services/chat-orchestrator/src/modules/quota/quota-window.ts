/** The calendar windows chat limits count in, all in UTC. */
export interface Window {
  /** Part of the Redis key: `2026-11` for a month, `2026-11-24T13` for an hour. */
  key: string;
  start: Date;
  /** When the window ends and its count starts again from 0. */
  resetAt: Date;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar month of `now` (UTC): the monthly token quota. */
export function monthWindow(now: Date): Window {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  return {
    key: `${year}-${pad(month + 1)}`,
    start: new Date(Date.UTC(year, month, 1)),
    resetAt: new Date(Date.UTC(year, month + 1, 1)),
  };
}

/** The clock hour of `now` (UTC): the hourly chat request limit. */
export function hourWindow(now: Date): Window {
  const start = new Date(now);
  start.setUTCMinutes(0, 0, 0);
  return {
    key: `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}-${pad(now.getUTCDate())}T${pad(now.getUTCHours())}`,
    start,
    resetAt: new Date(start.getTime() + 3_600_000),
  };
}

/** Whole seconds from `now` until `at`, at least 1 (a `Retry-After` value). */
export function secondsUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}
