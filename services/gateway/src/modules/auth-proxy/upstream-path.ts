const PREFIX = '/api/v1/auth/';
const SEGMENT = /^[A-Za-z0-9._~!$&'()*+,;=:@%-]+$/;

/**
 * The auth-service path for a public `/api/v1/auth/...` URL, or null when the URL tries to leave
 * that subtree: the WHATWG parser resolves `..` and `%2e%2e` first, then each segment must decode
 * to something without a slash, a backslash or a dot segment, and is re-encoded. The query string
 * goes along as sent.
 */
export function authUpstreamPath(originalUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(originalUrl, 'http://gateway.invalid');
  } catch {
    return null;
  }
  if (!url.pathname.startsWith(PREFIX)) return null;
  const segments: string[] = [];
  for (const raw of url.pathname.slice(PREFIX.length).split('/')) {
    if (!SEGMENT.test(raw)) return null;
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (decoded === '.' || decoded === '..' || /[/\\]/.test(decoded)) return null;
    segments.push(encodeURIComponent(decoded));
  }
  return `/auth/${segments.join('/')}${url.search}`;
}
