import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/**
 * The auth service as the gateway sees it: a JWKS over HTTP and a cheap `/auth/bench-echo` route
 * for the HTTP-forwarding path. Tokens are minted with its key.
 */
export class AuthStandIn {
  private constructor(
    private readonly server: Server,
    private readonly privateKey: CryptoKey,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  static async start(): Promise<AuthStandIn> {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'EdDSA', use: 'sig' };
    const jwks = JSON.stringify({ keys: [jwk] });
    const echo = JSON.stringify({ ok: true, service: 'auth' });
    const server = createServer((req, res) => {
      const body = req.url === '/.well-known/jwks.json' ? jwks : req.url?.startsWith('/auth/') ? echo : undefined;
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(body ?? '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new AuthStandIn(server, privateKey);
  }

  token(tenantId: string): Promise<string> {
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
      .sign(this.privateKey);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
