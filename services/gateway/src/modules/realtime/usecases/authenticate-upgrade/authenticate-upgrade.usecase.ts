import { Inject, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { decodeJwt } from 'jose';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { ApiKeyCredentialVerifier, type ApiKeyCheck } from '../../../auth/api-key-credential-verifier';
import { clientAddress } from '../../../auth/client-address';
import type { Principal } from '../../../auth/principal';
import { AuthenticateRequestUseCase } from '../../../auth/usecases/authenticate-request/authenticate-request.usecase';
import { tenantStatusRefusal } from '../../../tenant-status/tenant-status.guard';
import { TenantStatusStore } from '../../../tenant-status/tenant-status.store';

/** The subprotocol a browser names to carry its credential: `Sec-WebSocket-Protocol: bearer, <token>`. */
export const BEARER_PROTOCOL = 'bearer';

export interface UpgradeSession {
  principal: Principal;
  /** When the access token expires (ms since the epoch); null for credentials without one here (API keys). */
  expiresAt: number | null;
  /**
   * API keys: checks the key again through the gateway's cached verifier (rejects with 401
   * `invalid_api_key` once it is revoked or expired); null for access tokens, which end at expiry.
   */
  recheck: (() => Promise<ApiKeyCheck>) | null;
}

/**
 * Decides whether an upgrade to /ws may become a socket, with the same rules as the HTTP edge: no
 * client-named tenant (400), a browser Origin that is this gateway's own (the web app it serves)
 * or on the CORS list (403), one credential verified by
 * the gateway's own verifiers (401), a tenant that is neither suspended nor deleted (403/409/410).
 * Browsers cannot set headers on a WebSocket, so the credential may also come as the subprotocol
 * pair `bearer, <token>` or the `access_token` query parameter (an access token or a `pk_…` key).
 */
@Injectable()
export class AuthenticateUpgradeUseCase {
  private readonly allowedOrigins: ReadonlySet<string>;
  private readonly trustedHops: number;

  constructor(
    private readonly authenticate: AuthenticateRequestUseCase,
    private readonly apiKeys: ApiKeyCredentialVerifier,
    private readonly tenantStatus: TenantStatusStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.allowedOrigins = new Set(config.gateway?.corsOrigins ?? []);
    this.trustedHops = config.gateway?.trustProxyHops ?? 0;
  }

  async execute(req: IncomingMessage): Promise<UpgradeSession> {
    if (req.headers['x-tenant-id'] !== undefined) {
      throw new DomainException(
        ErrorCode.TenantHeaderNotAllowed,
        'The X-Tenant-ID header is not accepted: the tenant comes from your credentials',
      );
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.allowedOrigins.has(origin) && !isSameOrigin(origin, req)) {
      throw new DomainException(ErrorCode.Forbidden, 'This origin may not open a WebSocket');
    }
    const headers = credentialHeaders(req);
    const { principal } = await this.authenticate.execute({
      headers,
      clientAddress: clientAddress(req, this.trustedHops),
    });
    const refusal = tenantStatusRefusal(await this.tenantStatus.get(principal.tenantId));
    if (refusal) throw refusal;
    return {
      principal,
      expiresAt: principal.kind === 'user' ? tokenExpiry(headers) : null,
      recheck: principal.kind === 'api-key' ? () => this.apiKeys.check(headers) : null,
    };
  }
}

/**
 * The request's one credential as the verifiers expect it (Authorization or X-API-Key). More than
 * one (say a subprotocol token and a query token) is refused rather than choosing one.
 */
function credentialHeaders(req: IncomingMessage): IncomingHttpHeaders {
  const protocols = (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const viaProtocol = protocols[0] === BEARER_PROTOCOL ? protocols[1] : undefined;
  const viaQuery = new URL(req.url ?? '/', 'http://gateway').searchParams.getAll('access_token');
  const sources = [
    viaProtocol,
    ...viaQuery,
    req.headers.authorization,
    req.headers['x-api-key'] === undefined ? undefined : 'x-api-key',
  ].filter((s) => s !== undefined);
  if (sources.length > 1 || (protocols.includes(BEARER_PROTOCOL) && protocols.length !== 2)) {
    throw new DomainException(ErrorCode.InvalidAccessToken, 'Send exactly one credential');
  }
  const token = viaProtocol ?? viaQuery[0];
  if (token !== undefined) return { authorization: `Bearer ${token}` };
  return { authorization: req.headers.authorization, 'x-api-key': req.headers['x-api-key'] };
}

/** The `exp` of a token the verifier has just accepted (so decoding without verifying is safe here). */
function tokenExpiry(headers: IncomingHttpHeaders): number | null {
  const token = /^Bearer +(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  if (token === undefined) return null;
  const exp = decodeJwt(token).exp;
  return typeof exp === 'number' ? exp * 1000 : null;
}

/** A page served by this gateway: the Origin names the host the browser connected to (the Host header). */
function isSameOrigin(origin: string, req: IncomingMessage): boolean {
  try {
    return req.headers.host !== undefined && new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
