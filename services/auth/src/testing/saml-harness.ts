import { randomUUID } from 'node:crypto';
import type { SamlConnectionView } from '@parley/contracts';
import type { AuthStack, HttpResult, Session } from './auth-stack';
import { authnRequestOf, type ResponseSpec, type TestIdp } from './test-idp';

/** A tenant with an enabled SAML connection to a test IdP, and the calls a browser would make. */
export class SamlTenant {
  private constructor(
    private readonly stack: AuthStack,
    readonly idp: TestIdp,
    readonly owner: Session,
    readonly connectionId: string,
    readonly sp: SamlConnectionView['serviceProvider'],
  ) {}

  /** Signs up a tenant (pro plan: room for members) and configures the IdP by hand, enabled. */
  static async create(
    stack: AuthStack,
    idp: TestIdp,
    connection: Record<string, unknown> = {},
    certificates: string[] = [idp.keys.certificatePem],
  ): Promise<SamlTenant> {
    const owner = await stack.signUp();
    await stack.pg.query(`UPDATE control.tenants SET plan_id = 'pro' WHERE id = $1`, [owner.tenant.id]);
    const res = await stack.post(
      '/auth/sso/connections',
      {
        protocol: 'saml',
        name: 'Test IdP',
        enabled: true,
        idp: { entityId: idp.entityId, ssoUrl: 'https://idp.test/sso', certificates },
        attributeMapping: { email: 'email', groups: 'groups', name: 'displayName' },
        groupRoles: [
          { group: 'parley-admins', role: 'admin' },
          { group: 'finance', role: 'billing' },
        ],
        ...connection,
      },
      owner.accessToken,
    );
    if (res.status !== 201) throw new Error(`connection answered ${res.status}: ${JSON.stringify(res.body)}`);
    const view = res.body as SamlConnectionView;
    return new SamlTenant(stack, idp, owner, view.id, view.serviceProvider);
  }

  get slug(): string {
    return this.owner.tenant.slug;
  }

  /** `GET /sso/saml/{slug}/login`: the redirect to the IdP, and the AuthnRequest id in it. */
  async login(
    redirectTo?: string,
    options: { test?: boolean } = {},
  ): Promise<{ status: number; location: string; requestId: string; relayState: string | null }> {
    const params = new URLSearchParams();
    if (redirectTo !== undefined) params.set('redirectTo', redirectTo);
    if (options.test) params.set('test', '1');
    const query = params.size > 0 ? `?${params.toString()}` : '';
    const res = await fetch(`${this.stack.base}/sso/saml/${this.slug}/login${query}`, { redirect: 'manual' });
    const location = res.headers.get('location') ?? '';
    if (res.status !== 302) throw new Error(`login answered ${res.status}: ${await res.text()}`);
    const request = authnRequestOf(location);
    return { status: res.status, location, requestId: request.id, relayState: request.relayState };
  }

  /** A response for this tenant answering a request, as the IdP would send it; overrides bend it. */
  spec(requestId: string | null, overrides: Partial<ResponseSpec> = {}): ResponseSpec {
    return {
      inResponseTo: requestId,
      destination: this.sp.acsUrl,
      recipient: this.sp.acsUrl,
      audience: this.sp.entityId,
      nameId: `user-${randomUUID().slice(0, 8)}@example.com`,
      ...overrides,
    };
  }

  /** POSTs a SAMLResponse to an ACS (this tenant's unless `slug`), as the browser's auto-submitted form. */
  async post(samlResponse: string, options: { relayState?: string; slug?: string } = {}): Promise<HttpResult> {
    return postAcs(this.stack, options.slug ?? this.slug, samlResponse, options.relayState);
  }

  /** A fresh login answered by a valid signed response for `nameId` (and optional attributes). */
  async signIn(overrides: Partial<ResponseSpec> = {}, relayState?: string): Promise<HttpResult> {
    const { requestId } = await this.login();
    return this.post(this.idp.response(this.spec(requestId, overrides)), { relayState });
  }

  async traces(): Promise<HttpResult> {
    return this.stack.get(`/auth/sso/connections/${this.connectionId}/traces`, this.owner.accessToken);
  }
}

export async function postAcs(
  stack: AuthStack,
  slug: string,
  samlResponse: string,
  relayState?: string,
): Promise<HttpResult> {
  const form = new URLSearchParams({ SAMLResponse: samlResponse });
  if (relayState !== undefined) form.set('RelayState', relayState);
  const res = await fetch(`${stack.base}/sso/saml/${slug}/acs`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': stack.clientIp },
    body: form.toString(),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, retryAfter: null };
}
