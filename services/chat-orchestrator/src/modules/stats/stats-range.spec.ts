import { describe, expect, it } from 'vitest';
import { statsRange } from './stats-range';

const now = new Date('2025-03-10T22:00:00Z');

describe('statsRange', () => {
  it('defaults to the last 30 UTC days, today included', () => {
    const range = statsRange(undefined, undefined, now);
    expect(range).toMatchObject({ from: '2025-02-09', to: '2025-03-10' });
    expect(range.days).toHaveLength(30);
    expect(range.days[0]).toBe('2025-02-09');
    expect(range.days.at(-1)).toBe('2025-03-10');
    expect(range.start.toISOString()).toBe('2025-02-09T00:00:00.000Z');
    expect(range.end.toISOString()).toBe('2025-03-11T00:00:00.000Z');
  });

  it('takes an explicit range, both ends included, across months and leap days', () => {
    expect(statsRange('2024-02-27', '2024-03-01', now).days).toEqual([
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
    expect(statsRange('2025-01-01', '2025-01-01', now).days).toEqual(['2025-01-01']);
    expect(statsRange(undefined, '2025-01-30', now).from).toBe('2025-01-01');
    expect(statsRange('2025-03-01', undefined, now).to).toBe('2025-03-10');
  });

  it('allows 366 days and refuses 367', () => {
    expect(statsRange('2024-01-01', '2024-12-31', now).days).toHaveLength(366);
    expect(() => statsRange('2024-01-01', '2025-01-01', now)).toThrow(/366 days/);
  });

  it.each([
    ['2025-02-30', '2025-03-01'],
    ['2025-13-01', '2025-12-01'],
    ['2025-1-01', '2025-01-02'],
    ['20250101', '2025-01-02'],
    ['2025-01-01T00:00:00Z', '2025-01-02'],
    ['1969-12-31', '1970-01-01'],
    ['2025-01-02', '2025-01-01'],
  ])('refuses from=%s to=%s with validation_failed', (from, to) => {
    expect(() => statsRange(from, to, now)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});
