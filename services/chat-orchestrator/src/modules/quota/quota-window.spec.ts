import { describe, expect, it } from 'vitest';
import { hourWindow, monthWindow, secondsUntil } from './quota-window';

describe('quota windows (UTC)', () => {
  it('counts tokens per calendar month, resetting on the 1st at 00:00 UTC', () => {
    expect(monthWindow(new Date('2026-11-24T13:45:00Z'))).toEqual({
      key: '2026-11',
      start: new Date('2026-11-01T00:00:00Z'),
      resetAt: new Date('2026-12-01T00:00:00Z'),
    });
    expect(monthWindow(new Date('2026-12-31T23:59:59.999Z')).resetAt).toEqual(new Date('2027-01-01T00:00:00Z'));
    expect(monthWindow(new Date('2027-01-01T00:00:00Z')).key).toBe('2027-01');
  });

  it('counts chat requests per clock hour', () => {
    expect(hourWindow(new Date('2026-11-24T09:05:30.250Z'))).toEqual({
      key: '2026-11-24T09',
      start: new Date('2026-11-24T09:00:00Z'),
      resetAt: new Date('2026-11-24T10:00:00Z'),
    });
    expect(hourWindow(new Date('2026-12-31T23:30:00Z')).resetAt).toEqual(new Date('2027-01-01T00:00:00Z'));
  });

  it('gives Retry-After in whole seconds, rounded up, never 0', () => {
    const now = new Date('2026-11-24T09:59:58.100Z');
    expect(secondsUntil(new Date('2026-11-24T10:00:00Z'), now)).toBe(2);
    expect(secondsUntil(now, now)).toBe(1);
    expect(secondsUntil(new Date(now.getTime() - 5000), now)).toBe(1);
  });
});
