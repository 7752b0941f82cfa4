import { describe, expect, it } from 'vitest';
import { isPlausibleEmail, normaliseEmail } from './email';

describe('normaliseEmail', () => {
  it.each([
    ['ÅSA@Example.com', 'composed Å'],
    ['A\u030ASA@Example.com', 'A + combining ring'],
    ['\u212BSA@EXAMPLE.COM', 'the Angstrom sign'],
    ['  åsa@example.com ', 'surrounding space'],
    ['åｓａ@ｅｘａｍｐｌｅ.com', 'full-width letters'],
  ])('maps %j (%s) to åsa@example.com', (input) => {
    expect(normaliseEmail(input)).toBe('åsa@example.com');
  });

  it('is idempotent', () => {
    const once = normaliseEmail('İstanbul@Example.COM');
    expect(normaliseEmail(once)).toBe(once);
  });

  it.each(['a@b', 'åsa@example.com'])('accepts %j', (email) => expect(isPlausibleEmail(email)).toBe(true));
  it.each(['', 'no-at', '@x', 'x@', 'a b@c', 'a@b@c', 'a\u0007@b'])('refuses %j', (email) =>
    expect(isPlausibleEmail(email)).toBe(false),
  );
});
