import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode, slugSchema, SSO_PUBLIC_PREFIX, SSO_SERVICE_PREFIX } from '@parley/contracts';
import { childTraceparent, RequestContext } from '@parley/observability';
import { HttpForwarder, type UpstreamResponse } from '../../../auth-proxy/http-forwarder';

const FORWARD_TIMEOUT_MS = 10_000;
/** The SAML routes of a tenant: `saml/{slug}/{metadata|login|acs}`. */
const SAML_ROUTE = /^\/saml\/([^/]+)\/(metadata|login|acs)$/;

export interface ForwardToSsoCommand {
  method: 'GET' | 'POST';
  originalUrl: string;
  /** The form body of an ACS post, as received (never parsed here). */
  form?: string;
  clientIp: string | undefined;
}

/**
 * `/api/v1/sso/*` → the auth service's `/sso/*` over HTTP: only the known SAML routes with a valid
 * tenant slug (anything else is 404 `route_not_found`), the query string as sent (login's
 * redirectTo), an ACS form body passed through raw, our request id, a child traceparent and the
 * client address. No credential travels: these routes are public and the auth service checks the
 * SAML response itself.
 */
@Injectable()
export class ForwardToSsoUseCase implements OnApplicationShutdown {
  private readonly baseUrl: string;
  private readonly forwarder = new HttpForwarder('auth', FORWARD_TIMEOUT_MS);

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (!config.gateway) throw new Error('ForwardToSsoUseCase needs the gateway configuration');
    this.baseUrl = config.gateway.serviceUrls.auth.replace(/\/+$/, '');
  }

  async execute(command: ForwardToSsoCommand): Promise<UpstreamResponse> {
    const path = ssoUpstreamPath(command.originalUrl);
    if (!path) throw new DomainException(ErrorCode.RouteNotFound, 'Route not found');
    const ctx = RequestContext.current();
    const headers: Record<string, string> = { accept: 'application/json, application/samlmetadata+xml' };
    if (ctx) {
      headers['x-request-id'] = ctx.requestId;
      headers.traceparent = childTraceparent(ctx.traceparent);
    }
    if (command.clientIp) headers['x-forwarded-for'] = command.clientIp;
    if (command.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    return this.forwarder.forward({
      method: command.method,
      url: `${this.baseUrl}${path}`,
      headers,
      body: command.form,
    });
  }

  onApplicationShutdown(): void {
    this.forwarder.close();
  }
}

/** The auth-service path of a public SSO URL, or null when it is not one of the SAML routes. */
export function ssoUpstreamPath(originalUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(originalUrl, 'http://gateway.invalid');
  } catch {
    return null;
  }
  if (!url.pathname.startsWith(`${SSO_PUBLIC_PREFIX}/`)) return null;
  const match = SAML_ROUTE.exec(url.pathname.slice(SSO_PUBLIC_PREFIX.length));
  if (!match || !slugSchema.safeParse(match[1]).success) return null;
  const search = match[2] === 'login' ? url.search : '';
  return `${SSO_SERVICE_PREFIX}/saml/${match[1]}/${match[2]}${search}`;
}
