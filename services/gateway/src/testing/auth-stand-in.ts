import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface StandInReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
}

export const TEST_ISSUER = 'parley';
export const TEST_AUDIENCE = 'parley-api';

export async function newSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { kid, privateKey, publicKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' } };
}

export interface TokenClaims {
  sub: string;
  tid: string;
  role: string;
  sid: string;
  plan: string;
  jti: string;
}

/**
 * A stand-in for the auth service speaking its real protocol over HTTP: the JWKS the gateway
 * verifies against, `/health/ready`, and `/auth/*` routes that record what reached them and echo
 * it back (or answer what a test sets). Tokens are minted with the same keys.
 */
export class AuthStandIn {
  readonly received: ReceivedRequest[] = [];
  jwksFetches = 0;
  /**
   * Members' current roles (`tenant:user` → role), as auth's memberships would say: a minted token
   * records its role here; a test demotes or removes (delete) a member by changing it.
   */
  readonly memberRoles = new Map<string, string>();
  reply: ((req: ReceivedRequest) => StandInReply | undefined) | undefined;
  private readonly server: Server;

  private constructor(readonly key: SigningKey) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const received = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        void this.answer(received).then(({ status, headers, body }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(body === undefined ? undefined : JSON.stringify(body));
        });
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get jwksUrl(): string {
    return `${this.url}/.well-known/jwks.json`;
  }

  static async start(): Promise<AuthStandIn> {
    const standIn = new AuthStandIn(await newSigningKey('key-1'));
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  private async answer(req: ReceivedRequest): Promise<StandInReply> {
    if (req.url === '/.well-known/jwks.json') {
      this.jwksFetches += 1;
      return { status: 200, body: { keys: [this.key.publicJwk] } };
    }
    if (req.url === '/health/ready') return { status: 200, body: { status: 'ok', checks: {} } };
    if (req.url === '/internal/memberships/role') return this.memberRole(req);
    this.received.push(req);
    const reply = this.reply?.(req) ?? {
      status: 200,
      body: { echo: { method: req.method, url: req.url, body: req.body ? (JSON.parse(req.body) as unknown) : null } },
    };
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    return reply;
  }

  private memberRole(req: ReceivedRequest): StandInReply {
    if (!req.headers['x-parley-service'])
      return { status: 401, body: { error: { code: 'invalid_service_credential' } } };
    const { tenantId, userId } = JSON.parse(req.body) as { tenantId: string; userId: string };
    const role = this.memberRoles.get(`${tenantId}:${userId}`);
    return role ? { status: 200, body: { role } } : { status: 404, body: { error: { code: 'not_found' } } };
  }

  /** A valid access token for the claims, signed by this stand-in's key unless told otherwise. */
  mint(
    claims: Partial<TokenClaims> & { tid: string },
    options: {
      key?: SigningKey;
      issuer?: string;
      audience?: string;
      expiresAt?: number;
      notBefore?: number;
      alg?: string;
    } = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const key = options.key ?? this.key;
    const { tid, ...rest } = claims;
    this.memberRoles.set(`${tid}:${claims.sub ?? 'user-1'}`, claims.role ?? 'member');
    return new SignJWT({
      tid,
      role: 'member',
      sid: 'session-1',
      plan: 'free',
      ...rest,
    })
      .setProtectedHeader({ alg: options.alg ?? 'EdDSA', kid: key.kid })
      .setIssuer(options.issuer ?? TEST_ISSUER)
      .setAudience(options.audience ?? TEST_AUDIENCE)
      .setSubject(claims.sub ?? 'user-1')
      .setIssuedAt(now)
      .setNotBefore(options.notBefore ?? now)
      .setExpirationTime(options.expiresAt ?? now + 900)
      .setJti(claims.jti ?? `jti-${Math.random().toString(36).slice(2)}`)
      .sign(key.privateKey);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
