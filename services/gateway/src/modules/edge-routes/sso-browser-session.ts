import { toCookieSession, type BufferedAnswer } from './session-cookie';

/** A path of the web app (never `//host` or `/\host`, which browsers read as another site). */
const APP_PATH = /^\/(?![/\\])/;

/**
 * A successful ACS or callback answer (the session plus `redirectTo`, a path the auth service
 * checked) becomes what a browser needs: the refresh token in the same httpOnly cookie sign-in sets,
 * and a 303 to that path of the web app, which then refreshes into an access token as after any
 * reload. The access token is not handed over in a redirect. A test login's answer (no session)
 * redirects without a cookie.
 *
 * A refusal answered to a browser (`Accept: text/html`: the IdP's form post or redirect) becomes a
 * 303 too, to where the person can read why: the test result page for a test login
 * (`/admin/sso?test=<trace>`, the auth service's `redirectTo`), else `/sign-in?sso_error=<reason>`.
 * Other clients (scripts, tests) get the problem answer as it is.
 */
export function ssoBrowserSession(upstream: BufferedAnswer, secure: boolean, browser = false): BufferedAnswer {
  if (upstream.status >= 400) return browser ? refusalRedirect(upstream) : upstream;
  if (upstream.status !== 200) return upstream;
  const withCookie = toCookieSession(upstream, secure, false);
  let redirectTo = '/';
  try {
    const parsed = JSON.parse(upstream.body.toString('utf8')) as { redirectTo?: unknown };
    if (typeof parsed.redirectTo === 'string' && APP_PATH.test(parsed.redirectTo)) redirectTo = parsed.redirectTo;
  } catch {
    return upstream;
  }
  // A test login (Test connection) answers without a session: a redirect without a cookie.
  const cookie = withCookie.headers['set-cookie'];
  return redirect(redirectTo, cookie);
}

function refusalRedirect(upstream: BufferedAnswer): BufferedAnswer {
  let code = 'unavailable';
  let location: string | null = null;
  try {
    const { error } = JSON.parse(upstream.body.toString('utf8')) as {
      error?: { code?: unknown; details?: { reason?: unknown; redirectTo?: unknown } };
    };
    const reason = error?.details?.reason;
    if (typeof error?.code === 'string') code = typeof reason === 'string' ? reason : error.code;
    const to = error?.details?.redirectTo;
    if (typeof to === 'string' && APP_PATH.test(to)) location = to;
  } catch {
    // not a problem answer: the generic reason
  }
  return redirect(location ?? `/sign-in?sso_error=${encodeURIComponent(code.slice(0, 64))}`);
}

function redirect(location: string, cookie?: string): BufferedAnswer {
  return {
    status: 303,
    headers: { location, 'cache-control': 'no-store', ...(cookie ? { 'set-cookie': cookie } : {}) },
    body: Buffer.alloc(0),
  };
}
