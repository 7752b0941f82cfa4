import {
  DomainException,
  ErrorCode,
  REFRESH_COOKIE_NAME,
  REFRESH_COOKIE_PATH,
  SESSION_COOKIE_HEADER,
  SESSION_COOKIE_MODE,
} from '@parley/contracts';
import type { FastifyRequest } from 'fastify';

/** An answer read whole, to move its refresh token into the cookie. */
export interface BufferedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The browser's session: the refresh token in an httpOnly cookie (never readable by script),
 * `SameSite=Strict`, `Secure` over https, `Path=/api/v1/auth` (sent to the auth routes only).
 *
 * A client asks for it with `x-parley-session: cookie`. That header is also the CSRF defence of the
 * one route the cookie authenticates (`POST /api/v1/auth/refresh`): a page on another site can make a
 * browser send the cookie (SameSite aside) but not a custom header, which needs a CORS preflight this
 * gateway never grants for it. API clients keep the JSON-body flow (`{ "refreshToken": … }`) unchanged.
 */
export function wantsCookieSession(req: FastifyRequest): boolean {
  return req.headers[SESSION_COOKIE_HEADER] === SESSION_COOKIE_MODE;
}

export function readRefreshCookie(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === REFRESH_COOKIE_NAME) {
      const value = part.slice(eq + 1).trim();
      return value.length > 0 ? value : undefined;
    }
  }
  return undefined;
}

/**
 * The body to forward to the auth service's refresh: the client's, or (cookie mode) the cookie's
 * token. A cookie without the header is refused as cross-site (403 `csrf_rejected`).
 */
export function refreshRequestBody(req: FastifyRequest, body: unknown): unknown {
  const hasBodyToken =
    typeof body === 'object' && body !== null && (body as { refreshToken?: unknown }).refreshToken !== undefined;
  if (hasBodyToken) return body;
  const cookie = readRefreshCookie(req);
  if (cookie === undefined) {
    if (wantsCookieSession(req)) throw new DomainException(ErrorCode.InvalidRefreshToken, 'No refresh cookie');
    return body;
  }
  if (!wantsCookieSession(req)) {
    throw new DomainException(
      ErrorCode.CsrfRejected,
      `A cookie refresh needs the ${SESSION_COOKIE_HEADER}: ${SESSION_COOKIE_MODE} header`,
    );
  }
  return { refreshToken: cookie };
}

function cookie(value: string, secure: boolean, maxAge?: number): string {
  const parts = [`${REFRESH_COOKIE_NAME}=${value}`, `Path=${REFRESH_COOKIE_PATH}`, 'HttpOnly', 'SameSite=Strict'];
  if (secure) parts.push('Secure');
  if (maxAge !== undefined) parts.push(`Max-Age=${maxAge}`);
  return parts.join('; ');
}

/**
 * In cookie mode, a successful answer carrying a refresh token has it moved into the cookie (and out
 * of the body); a refused refresh clears the cookie. Other answers pass unchanged.
 */
export function toCookieSession(upstream: BufferedAnswer, secure: boolean, refresh: boolean): BufferedAnswer {
  if (refresh && upstream.status >= 400 && upstream.status < 500) {
    return { ...upstream, headers: { ...upstream.headers, 'set-cookie': cookie('', secure, 0) } };
  }
  if (upstream.status < 200 || upstream.status >= 300) return upstream;
  let parsed: unknown;
  try {
    parsed = JSON.parse(upstream.body.toString('utf8'));
  } catch {
    return upstream;
  }
  if (typeof parsed !== 'object' || parsed === null) return upstream;
  const { refreshToken, ...rest } = parsed as { refreshToken?: unknown };
  if (typeof refreshToken !== 'string') return upstream;
  const body = Buffer.from(JSON.stringify(rest), 'utf8');
  const headers: Record<string, string> = {
    ...upstream.headers,
    'set-cookie': cookie(refreshToken, secure),
    'cache-control': 'no-store',
  };
  delete headers['content-length'];
  return { ...upstream, headers, body };
}

/** Sign-out ends the browser's session too. */
export function clearedCookie(upstream: BufferedAnswer, secure: boolean): BufferedAnswer {
  return { ...upstream, headers: { ...upstream.headers, 'set-cookie': cookie('', secure, 0) } };
}
