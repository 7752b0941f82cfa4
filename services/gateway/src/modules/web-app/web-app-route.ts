/** Path prefixes that belong to the platform, never to the web app (a whole segment each). */
export const RESERVED_PREFIXES = ['/api', '/scim', '/ws', '/health', '/metrics'] as const;

/**
 * What the web app does with a request the router has not matched yet:
 * - `pass`: not the web app's (another method, a reserved prefix, or a missing file): the API answers;
 * - `file`: a file of the build, if it exists (else `pass`);
 * - `page`: a client-side route (no file extension): index.html.
 */
export type WebAppRoute = 'pass' | 'file' | 'page';

export function isReservedPath(path: string): boolean {
  return RESERVED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

export function classifyWebRequest(method: string, path: string): WebAppRoute {
  if (method !== 'GET' && method !== 'HEAD') return 'pass';
  if (isReservedPath(path)) return 'pass';
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (path.startsWith('/assets/') || last.includes('.')) return 'file';
  return 'page';
}

/** Hashed build output (`/assets/<name>-<hash>.<ext>`) never changes: cache it for a year. */
export function isHashedAsset(path: string): boolean {
  return path.startsWith('/assets/');
}

/**
 * The policy of every web app response: scripts, styles, images, fonts and connections from this
 * origin only (the WebSocket included: `'self'` covers ws/wss of the same host), no inline script or
 * style, no plugins, no framing, no <base>, forms post here only.
 */
export const WEB_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export const WEB_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': WEB_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
export const CACHE_REVALIDATE = 'no-cache';

/** What a client revalidates a file of the build with, as Express's static serving sent them. */
export interface FileValidators {
  /** Weak: `W/"<size hex>-<mtime ms hex>"` (a new build changes it). */
  etag: string;
  lastModified: string;
}

export function fileValidators(size: number, mtimeMs: number): FileValidators {
  return {
    etag: `W/"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`,
    lastModified: new Date(mtimeMs).toUTCString(),
  };
}

/**
 * Whether the client's copy is current (RFC 9110 §13.2.2): an If-None-Match decides alone (weak
 * comparison, a list or `*`); without one, an If-Modified-Since at or after the file's time (whole
 * seconds, as HTTP dates are) does.
 */
export function isNotModified(
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
  validators: FileValidators,
): boolean {
  if (ifNoneMatch !== undefined) {
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    const own = opaque(validators.etag);
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === own);
  }
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Date.parse(validators.lastModified) <= since;
}
