/**
 * The client address as lockout keys use it: `req.ip` (which honours TRUST_PROXY_HOPS), with an
 * IPv4-mapped IPv6 address written as plain IPv4. Anything unusable counts as `unknown`.
 */
export function normaliseClientIp(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const value = ip.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(value);
  if (mapped?.[1]) return mapped[1];
  return /^[0-9a-f:.]{2,45}$/.test(value) ? value : 'unknown';
}
