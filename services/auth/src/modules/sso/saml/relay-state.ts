import { SSO_LIMITS } from '@parley/contracts';

const SAFE_PATH = /^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$/;

/**
 * Where to send the browser after a login: a path of our own web app only (never another origin,
 * `//host`, `/\host`, a scheme, or the API), at most SSO_LIMITS.relayStateChars; null when it is not one.
 */
export function safeRelayPath(value: string | undefined | null): string | null {
  if (value === undefined || value === null || value === '') return '/';
  if (value.length > SSO_LIMITS.relayStateChars || !SAFE_PATH.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, 'http://parley.invalid');
  } catch {
    return null;
  }
  if (url.origin !== 'http://parley.invalid' || url.pathname.startsWith('/api/')) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
