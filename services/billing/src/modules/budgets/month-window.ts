/** The calendar month (UTC) of `now`: its start, the next month's start, and its `YYYY-MM` key. */
export function monthOf(now: Date): { start: Date; resetAt: Date; key: string } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const resetAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, resetAt, key: start.toISOString().slice(0, 7) };
}
