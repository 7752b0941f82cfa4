import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What GitHub's API answers about the person who authorised a code. */
export interface GitHubPerson {
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

interface IssuedCode {
  challenge: string;
  redirectUri: string;
  person: GitHubPerson;
}

/**
 * A local server speaking GitHub's OAuth 2.0 wire format (GitHub exists only outside this machine):
 * `POST /login/oauth/access_token` (form-encoded answer unless `Accept: application/json`, as GitHub
 * does; it checks the client secret, the redirect URI and the PKCE verifier), and the REST API's
 * `GET /api/user` and `GET /api/user/emails` with `Authorization: Bearer <token>` (a missing
 * User-Agent is refused, as GitHub refuses it). `issueCode` is what the authorization page does;
 * a browser opening `GET /login/oauth/authorize` is sent back at once as `nextPerson`.
 */
export class TestGitHub {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly tokens = new Map<string, GitHubPerson>();
  /** What the token endpoint refused, in order. */
  readonly refusals: string[] = [];
  /** Who signs in at the authorization page a browser opens (`GET /login/oauth/authorize`). */
  nextPerson: GitHubPerson | null = null;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  get apiUrl(): string {
    return `${this.url}/api`;
  }

  static async start(clientId = 'gh-client', clientSecret = 'gh-secret-0123456789'): Promise<TestGitHub> {
    const holder: { gh?: TestGitHub } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const gh = holder.gh;
        const json = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify(body));
        };
        if (!gh) return json(503, {});
        if (req.method === 'GET' && req.url?.startsWith('/login/oauth/authorize')) {
          // The authorization page, for a browser: the person set by `nextPerson` agrees at once.
          const authorize = new URL(req.url, gh.url);
          const redirectUri = authorize.searchParams.get('redirect_uri') ?? '';
          if (!gh.nextPerson || authorize.searchParams.get('client_id') !== gh.clientId) return json(404, {});
          const back = new URL(redirectUri);
          back.searchParams.set('code', gh.issueCode(authorize.toString(), gh.nextPerson));
          back.searchParams.set('state', authorize.searchParams.get('state') ?? '');
          res.writeHead(302, { location: back.toString() });
          return res.end();
        }
        if (req.method === 'POST' && req.url === '/login/oauth/access_token') {
          const answer = gh.token(new URLSearchParams(Buffer.concat(chunks).toString()));
          if ((req.headers.accept ?? '').includes('application/json')) return json(200, answer);
          res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
          return res.end(new URLSearchParams(answer).toString());
        }
        if (req.method === 'GET' && (req.url === '/api/user' || req.url === '/api/user/emails')) {
          if (!req.headers['user-agent']) return json(403, { message: 'Request forbidden by administrative rules.' });
          const token = /^(?:Bearer|token) (.+)$/.exec(req.headers.authorization ?? '')?.[1];
          const person = token ? gh.tokens.get(token) : undefined;
          if (!person) return json(401, { message: 'Bad credentials' });
          return req.url === '/api/user'
            ? json(200, { login: person.login, id: 1, name: person.name })
            : json(
                200,
                person.emails.map((e) => ({ ...e, visibility: e.primary ? 'public' : null })),
              );
        }
        return json(404, { message: 'Not Found' });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.gh = new TestGitHub(
      server,
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      clientId,
      clientSecret,
    );
    return holder.gh;
  }

  /** What the authorization page does once the person agrees: a code for this request. */
  issueCode(authorizeUrl: string, person: GitHubPerson): string {
    const request = new URL(authorizeUrl).searchParams;
    const code = randomBytes(10).toString('hex');
    this.codes.set(code, {
      challenge: request.get('code_challenge') ?? '',
      redirectUri: request.get('redirect_uri') ?? '',
      person,
    });
    return code;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private token(form: URLSearchParams): Record<string, string> {
    const code = this.codes.get(form.get('code') ?? '');
    this.codes.delete(form.get('code') ?? '');
    const refuse = (error: string, why: string) => {
      this.refusals.push(why);
      return { error, error_description: why };
    };
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
      return refuse('incorrect_client_credentials', 'client');
    }
    if (!code) return refuse('bad_verification_code', 'unknown code');
    if (form.get('redirect_uri') !== code.redirectUri) return refuse('redirect_uri_mismatch', 'redirect_uri differs');
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) {
      return refuse('bad_verification_code', 'PKCE failed');
    }
    const token = `gho_${randomBytes(18).toString('hex')}`;
    this.tokens.set(token, code.person);
    return { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' };
  }
}
