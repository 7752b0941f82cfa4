import { toCookieSession, type BufferedAnswer } from './session-cookie';

/**
 * A successful ACS answer (the session plus `redirectTo`, a path the auth service checked) becomes
 * what a browser needs: the refresh token in the same httpOnly cookie sign-in sets, and a 303 to
 * that path of the web app, which then refreshes into an access token as after any reload. The
 * access token is not handed over in a redirect. A test login's answer (no session) redirects without
 * a cookie. Refusals pass through as problem answers.
 */
export function ssoBrowserSession(upstream: BufferedAnswer, secure: boolean): BufferedAnswer {
  if (upstream.status !== 200) return upstream;
  const withCookie = toCookieSession(upstream, secure, false);
  let redirectTo = '/';
  try {
    const parsed = JSON.parse(upstream.body.toString('utf8')) as { redirectTo?: unknown };
    if (typeof parsed.redirectTo === 'string' && /^\/(?![/\\])/.test(parsed.redirectTo)) redirectTo = parsed.redirectTo;
  } catch {
    return upstream;
  }
  // A test login (Test connection) answers without a session: a redirect without a cookie.
  const cookie = withCookie.headers['set-cookie'];
  return {
    status: 303,
    headers: { location: redirectTo, 'cache-control': 'no-store', ...(cookie ? { 'set-cookie': cookie } : {}) },
    body: Buffer.alloc(0),
  };
}
