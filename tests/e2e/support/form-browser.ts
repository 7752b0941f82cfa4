/**
 * A minimal non-browser client for login flows: follows redirects by hand, keeps cookies per origin
 * (including Keycloak's `Secure; SameSite=None` ones over http, which a strict client would drop),
 * and reads the forms of HTML pages (a login form, an auto-submitted SAML POST form).
 */
export class FormBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  /** One request with this origin's cookies; the answer's cookies are kept. No redirect is followed. */
  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    this.jars.set(origin, jar);
    const headers: Record<string, string> = { ...init.headers };
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  /** GETs and follows redirects (at most 10) until a non-redirect answer; returns it with its URL. */
  async follow(url: string): Promise<{ res: Response; url: string }> {
    let current = url;
    for (let hop = 0; hop < 10; hop++) {
      const res = await this.request(current);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: current };
      current = new URL(location, current).toString();
    }
    throw new Error(`Too many redirects from ${url}`);
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(origin)?.get(name);
  }
}

export interface HtmlForm {
  action: string;
  fields: Record<string, string>;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x2F;|&#47;/g, '/')
    .replace(/&#x3D;|&#61;/g, '=');
}

/** The first form of a page (or the one whose tag matches `select`): its absolute action and hidden/named inputs. */
export function readForm(html: string, pageUrl: string, select?: RegExp): HtmlForm {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
  const form = select ? forms.find((f) => select.test(f[1] ?? '')) : forms[0];
  if (!form) throw new Error(`No form in the page at ${pageUrl}:\n${html.slice(0, 2000)}`);
  const action = decodeEntities(/action="([^"]*)"/i.exec(form[1] ?? '')?.[1] ?? pageUrl);
  const fields: Record<string, string> = {};
  for (const input of (form[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
    const attrs = input[1] ?? '';
    const name = /name="([^"]*)"/i.exec(attrs)?.[1];
    if (!name) continue;
    fields[name] = decodeEntities(/value="([^"]*)"/i.exec(attrs)?.[1] ?? '');
  }
  return { action: new URL(action, pageUrl).toString(), fields };
}
