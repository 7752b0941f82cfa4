import type { UpstreamResponse } from '../auth-proxy/http-forwarder';
import { toCookieSession } from '../auth-proxy/session-cookie';

/**
 * A successful ACS answer (the session plus `redirectTo`, a path the auth service checked) becomes
 * what a browser needs: the refresh token in the same httpOnly cookie sign-in sets, and a 303 to
 * that path of the web app, which then refreshes into an access token as after any reload. The
 * access token is not handed over in a redirect. Refusals pass through as problem answers.
 */
export function ssoBrowserSession(upstream: UpstreamResponse, secure: boolean): UpstreamResponse {
  if (upstream.status !== 200) return upstream;
  const withCookie = toCookieSession(upstream, secure, false);
  let redirectTo = '/';
  try {
    const parsed = JSON.parse(upstream.body.toString('utf8')) as { redirectTo?: unknown };
    if (typeof parsed.redirectTo === 'string' && /^\/(?![/\\])/.test(parsed.redirectTo)) redirectTo = parsed.redirectTo;
  } catch {
    return upstream;
  }
  const cookie = withCookie.headers['set-cookie'];
  if (!cookie) return upstream;
  return {
    status: 303,
    headers: { location: redirectTo, 'set-cookie': cookie, 'cache-control': 'no-store' },
    body: Buffer.alloc(0),
  };
}
