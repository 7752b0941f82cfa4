import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/**
 * The auth service as the gateway sees it: a JWKS over HTTP, the member's role, and a cheap answer on every `/auth/...` route (the bench calls `/auth/me`, a route of the route table)
 * for the HTTP-forwarding path. Tokens are minted with its key (`token()`, or `GET /bench/token?tenant=`
 * when it runs as its own process: `auth-stand-in.cli.js`).
 */
export class AuthStandIn {
  private constructor(
    private readonly server: Server,
    private readonly privateKey: CryptoKey,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  static async start(port = 0): Promise<AuthStandIn> {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'EdDSA', use: 'sig' };
    const jwks = JSON.stringify({ keys: [jwk] });
    const echo = JSON.stringify({ ok: true, service: 'auth' });
    // The bench user's current role (`POST /internal/memberships/role`), as auth's memberships say.
    const role = JSON.stringify({ role: 'owner' });
    const server = createServer((req, res) => {
      const mint = /^\/bench\/token\?tenant=([0-9a-f-]{36})$/.exec(req.url ?? '');
      if (mint) {
        void mintToken(privateKey, mint[1] as string).then((token) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ token }));
        });
        return;
      }
      const body =
        req.url === '/.well-known/jwks.json'
          ? jwks
          : req.url === '/internal/memberships/role'
            ? role
            : req.url?.startsWith('/auth/')
              ? echo
              : undefined;
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(body ?? '{}');
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return new AuthStandIn(server, privateKey);
  }

  token(tenantId: string): Promise<string> {
    return mintToken(this.privateKey, tenantId);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function mintToken(privateKey: CryptoKey, tenantId: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tid: tenantId, role: 'owner', sid: 'bench-session', plan: 'enterprise' })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'bench' })
    .setIssuer('parley')
    .setAudience('parley-api')
    .setSubject('bench-user')
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 3600)
    .setJti('bench-jti')
    .sign(privateKey);
}
