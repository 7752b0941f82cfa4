import { domainToASCII } from 'node:url';
import { isIP } from 'node:net';

/** A DNS label: letters, digits and inner hyphens, 1 to 63 characters (after IDNA). */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * The canonical form of a domain someone claims: lower case, IDNA (punycode), without a trailing
 * dot; or null when it is not a registrable-looking host name (an IP address, a single label, a
 * wildcard, a URL, longer than 253 characters).
 */
export function normaliseDomain(input: string): string | null {
  const trimmed = input.trim().replace(/\.$/, '');
  if (trimmed === '' || trimmed.length > 253 || isIP(trimmed) !== 0 || /[/:@*\s]/.test(trimmed)) return null;
  const ascii = domainToASCII(trimmed);
  if (ascii === '' || ascii.length > 253) return null;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return null;
  // A top-level label is never all digits (that would be an address).
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return null;
  return ascii;
}

/** The domain of an email address, normalised, or null. */
export function domainOfEmail(email: string): string | null {
  const at = email.lastIndexOf('@');
  return at < 1 ? null : normaliseDomain(email.slice(at + 1));
}

/** Where the proof is published: a TXT record on this name. */
export function challengeRecordName(domain: string): string {
  return `_parley-challenge.${domain}`;
}

/** The TXT value that proves the claim of the tenant that holds `token`. */
export function challengeRecordValue(token: string): string {
  return `parley-domain-verification=${token}`;
}

export { ADMIN_MAILBOXES, type AdminMailbox } from '@parley/contracts';
