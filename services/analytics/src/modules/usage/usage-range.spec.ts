import { describe, expect, it } from 'vitest';
import { trailingWindow, usageRange } from './usage-range';

const now = new Date('2025-03-10T22:00:00Z');

describe('usageRange', () => {
  it('defaults to the last 30 UTC days, today included', () => {
    const range = usageRange(undefined, undefined, now);
    expect(range).toMatchObject({ from: '2025-02-09', to: '2025-03-10' });
    expect(range.days).toHaveLength(30);
    expect(range.start.toISOString()).toBe('2025-02-09T00:00:00.000Z');
    expect(range.end.toISOString()).toBe('2025-03-11T00:00:00.000Z');
  });

  it('takes an explicit range across a leap day, both ends included', () => {
    expect(usageRange('2024-02-28', '2024-03-01', now).days).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });

  it('allows 366 days and refuses 367', () => {
    expect(usageRange('2024-01-01', '2024-12-31', now).days).toHaveLength(366);
    expect(() => usageRange('2024-01-01', '2025-01-01', now)).toThrow(/366 days/);
  });

  it.each([
    ['2025-02-30', '2025-03-01'],
    ['2025-1-01', '2025-01-02'],
    ['2025-01-01T00:00:00Z', '2025-01-02'],
    ['1969-12-31', '1970-01-01'],
    ['2025-01-02', '2025-01-01'],
  ])('refuses from=%s to=%s with validation_failed', (from, to) => {
    expect(() => usageRange(from, to, now)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });

  it('gives the trailing 7-day window that ends with the last day', () => {
    const w = trailingWindow(usageRange('2025-03-01', '2025-03-10', now), 7);
    expect([w.start.toISOString(), w.end.toISOString()]).toEqual([
      '2025-03-04T00:00:00.000Z',
      '2025-03-11T00:00:00.000Z',
    ]);
  });
});
