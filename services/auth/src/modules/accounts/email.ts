/**
 * The one form of an email address that uniqueness and sign-in compare: Unicode NFKC (so composed,
 * decomposed and compatibility forms of a letter are one), lower-case, no surrounding space.
 */
export function normaliseEmail(value: string): string {
  return value.trim().normalize('NFKC').toLowerCase().normalize('NFKC');
}

/** After normalisation: one `@`, something on both sides, no whitespace or control characters. */
export function isPlausibleEmail(value: string): boolean {
  return value.length >= 3 && value.length <= 254 && /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+$/u.test(value);
}
