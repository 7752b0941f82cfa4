import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type GenerateKeyPairResult, type JWTPayload } from 'jose';

interface IssuedCode {
  challenge: string;
  redirectUri: string;
  claims: JWTPayload;
  alg: 'RS256' | 'ES256';
}

/**
 * A small OpenID provider on loopback for the callback's refusals that a real IdP will not produce
 * on demand (a wrong audience, nonce or expiry): discovery, a JWKS (RS256 and ES256 keys), and a
 * token endpoint that checks the client's Basic credentials, the code (single use), the exact
 * redirect URI and the PKCE verifier (S256) before it answers the id_token the test asked for.
 */
export class TestOidcProvider {
  private readonly codes = new Map<string, IssuedCode>();
  /** What the token endpoint refused, in order (for tests to assert the checks happened). */
  readonly refusals: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
    readonly clientId: string,
    readonly clientSecret: string,
    private readonly keys: { rsa: GenerateKeyPairResult; ec: GenerateKeyPairResult },
  ) {}

  static async start(
    clientId = 'parley',
    clientSecret = 'test-op-client-secret-0123456789',
  ): Promise<TestOidcProvider> {
    const keys = { rsa: await generateKeyPair('RS256'), ec: await generateKeyPair('ES256') };
    const jwks = {
      keys: [
        { ...(await exportJWK(keys.rsa.publicKey)), kid: 'rsa', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(keys.ec.publicKey)), kid: 'ec', alg: 'ES256', use: 'sig' },
      ],
    };
    const holder: { provider?: TestOidcProvider } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        const op = holder.provider;
        if (!op) return send(503, {});
        if (req.url === '/.well-known/openid-configuration') {
          return send(200, {
            issuer: op.issuer,
            authorization_endpoint: `${op.issuer}/authorize`,
            token_endpoint: `${op.issuer}/token`,
            jwks_uri: `${op.issuer}/jwks`,
          });
        }
        if (req.url === '/jwks') return send(200, jwks);
        if (req.url === '/token' && req.method === 'POST') {
          op.token(req.headers.authorization ?? '', new URLSearchParams(Buffer.concat(chunks).toString())).then(
            ([status, body]) => send(status, body),
            () => send(500, {}),
          );
          return;
        }
        return send(404, {});
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    holder.provider = new TestOidcProvider(server, issuer, clientId, clientSecret, keys);
    return holder.provider;
  }

  /**
   * What the authorization endpoint would do for the request at `authorizeUrl`: a code whose
   * id_token carries these claims (over good defaults: our audience, the request's nonce, valid now).
   */
  issueCode(authorizeUrl: string, claims: JWTPayload = {}, alg: 'RS256' | 'ES256' = 'RS256'): string {
    const request = new URL(authorizeUrl).searchParams;
    const now = Math.floor(Date.now() / 1000);
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, {
      challenge: request.get('code_challenge') ?? '',
      redirectUri: request.get('redirect_uri') ?? '',
      alg,
      claims: {
        iss: this.issuer,
        aud: this.clientId,
        sub: 'person-1',
        nonce: request.get('nonce') ?? '',
        iat: now,
        exp: now + 300,
        email: 'pat@acme.example',
        email_verified: true,
        name: 'Pat Doe',
        groups: ['engineering'],
        ...claims,
      },
    });
    return code;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async token(authorization: string, form: URLSearchParams): Promise<[number, unknown]> {
    const expected = `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64')}`;
    const code = this.codes.get(form.get('code') ?? '');
    this.codes.delete(form.get('code') ?? '');
    const refuse = (why: string): [number, unknown] => {
      this.refusals.push(why);
      return [400, { error: 'invalid_grant', error_description: why }];
    };
    if (authorization !== expected) return [401, { error: 'invalid_client' }];
    if (form.get('grant_type') !== 'authorization_code' || !code) return refuse('unknown code');
    if (form.get('redirect_uri') !== code.redirectUri) return refuse('redirect_uri differs');
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) return refuse('PKCE failed');
    const key = code.alg === 'ES256' ? this.keys.ec.privateKey : this.keys.rsa.privateKey;
    const idToken = await new SignJWT(code.claims)
      .setProtectedHeader({ alg: code.alg, kid: code.alg === 'ES256' ? 'ec' : 'rsa' })
      .sign(key);
    return [200, { access_token: 'opaque', token_type: 'Bearer', id_token: idToken }];
  }
}
