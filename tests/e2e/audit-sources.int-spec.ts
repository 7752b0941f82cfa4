import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformProcesses, sharedStripeMock, StripeRecorder, waitFor } from '@parley/testing';

const WEBHOOK_SECRET = 'whsec_parleyauditsources01';
const CLIENT_IP = '203.0.113.77';
const AGENT = 'AuditE2E/1.0 (admin console)';

interface Entry {
  action: string;
  actor: { kind: string; id: string | null };
  target: { type: string; id: string | null };
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

interface Org {
  tenantId: string;
  userId: string;
  token: string;
}

/** A self-signed certificate for a SAML IdP configured by hand (openssl). */
function idpCertificate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-audit-idp-'));
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '30',
        '-subj',
        '/CN=audit-idp',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    return readFileSync(cert, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The admin actions of chat (provider keys), auth (SSO connections, policy, domains, directory sync),
 * billing (budgets, Checkout, Portal, plan change, cancellation, a subscription change from a signed
 * Stripe webhook) and analytics (consent, the audit export itself) as a client does them through the gateway: each becomes exactly one entry
 * in the tenant's audit log (the service's outbox → Kafka → analytics), naming who acted, the
 * target, the client's address and user agent, and the request id the client sent.
 */
describe('audit log sources: chat, SSO, billing and analytics admin actions, end to end', () => {
  let platform: PlatformProcesses;
  let recorder: StripeRecorder;
  let api: string;
  let acme: Org;
  let globex: Org;
  const suffix = randomUUID().slice(0, 8);
  /** The request id of each action, by the name the test gives it. */
  const requestIds = new Map<string, string>();

  const call = async (
    who: Org | null,
    method: string,
    path: string,
    body?: unknown,
    name?: string,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
  ): Promise<{ status: number; body: any }> => {
    const requestId = `audit-${name ?? 'call'}-${randomUUID()}`;
    if (name) requestIds.set(name, requestId);
    const res = await fetch(`${api}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'user-agent': AGENT,
        'x-forwarded-for': CLIENT_IP,
        'x-request-id': requestId,
        ...(who ? { authorization: `Bearer ${who.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };

  const signUp = async (name: string): Promise<Org> => {
    const slug = `${name}-${suffix}`;
    const res = await call(null, 'POST', '/api/v1/auth/sign-up', {
      organizationName: `Org ${slug}`,
      organizationSlug: slug,
      email: `owner@${slug}.test`,
      password: 'correct horse battery',
      name,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { tenantId: res.body.tenant.id, userId: res.body.user.id, token: res.body.accessToken };
  };

  const auditOf = async (who: Org, query = ''): Promise<Entry[]> => {
    const res = await call(who, 'GET', `/api/v1/analytics/audit?limit=200${query}`);
    expect(res.status).toBe(200);
    return res.body.entries as Entry[];
  };

  beforeAll(async () => {
    const { env: mock } = await sharedStripeMock();
    recorder = await StripeRecorder.start(mock);
    platform = await PlatformProcesses.start({
      services: ['tenant', 'auth', 'chat-orchestrator', 'billing', 'analytics', 'gateway'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
      serviceEnv: {
        auth: { TRUST_PROXY_HOPS: '1' },
        billing: {
          BILLING_ENABLED: 'true',
          STRIPE_SECRET_KEY: 'sk_test_parleyaudit',
          STRIPE_API_BASE: recorder.url,
          STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
          STRIPE_PRICE_ID_PRO: 'price_auditPro',
          STRIPE_PRICE_ID_ENTERPRISE: 'price_auditEnterprise',
          STRIPE_PRICE_ID_SEAT: 'price_auditSeat',
        },
        gateway: (urls) => ({
          // The test client plays the load balancer in front of the gateway: its X-Forwarded-For is the client.
          TRUST_PROXY_HOPS: '1',
          AUTH_JWKS_URL: `${urls.auth}/.well-known/jwks.json`,
          AUTH_SERVICE_URL: urls.auth ?? '',
          TENANT_SERVICE_URL: urls.tenant ?? '',
          CHAT_SERVICE_URL: urls['chat-orchestrator'] ?? '',
          BILLING_SERVICE_URL: urls.billing ?? '',
          ANALYTICS_SERVICE_URL: urls.analytics ?? '',
          RATE_LIMIT_PRINCIPAL_FREE: '100000',
          RATE_LIMIT_TENANT_FREE: '100000',
        }),
      },
    });
    api = platform.url('gateway');
    acme = await signUp('acme');
    globex = await signUp('globex');
  }, 900_000);

  afterAll(async () => {
    await platform?.stop();
    await recorder?.close();
  });

  it('records every provider-key, SSO and billing change once, with actor, target, address, user agent and request id', async () => {
    // chat: a provider key set, then removed
    expect(
      (
        await call(
          acme,
          'PUT',
          '/api/v1/chat/providers/openai',
          { apiKey: 'sk-audit-0123456789abcdef', model: 'gpt-4.1' },
          'key-set',
        )
      ).status,
    ).toBe(200);
    expect((await call(acme, 'DELETE', '/api/v1/chat/providers/openai', undefined, 'key-removed')).status).toBe(204);
    // auth: an SSO connection created and deleted, the policy saved, a domain claimed and removed, directory sync
    const connection = await call(
      acme,
      'POST',
      '/api/v1/auth/sso/connections',
      {
        protocol: 'saml',
        name: 'Okta',
        idp: {
          entityId: 'http://idp.example.com/entity',
          ssoUrl: 'https://idp.example.com/sso/saml',
          certificates: [idpCertificate()],
        },
        attributeMapping: { email: 'email' },
        groupRoles: [],
      },
      'sso-created',
    );
    expect(connection.status).toBe(201);
    expect(
      (await call(acme, 'DELETE', `/api/v1/auth/sso/connections/${connection.body.id}`, undefined, 'sso-deleted'))
        .status,
    ).toBe(204);
    expect(
      (await call(acme, 'PUT', '/api/v1/auth/sso/policy', { ssoRequired: false, breakGlassUserIds: [] }, 'sso-policy'))
        .status,
    ).toBe(200);
    const domain = await call(
      acme,
      'POST',
      '/api/v1/auth/domains',
      { domain: `acme-${suffix}.example` },
      'domain-claimed',
    );
    expect(domain.status).toBe(201);
    expect(
      (await call(acme, 'DELETE', `/api/v1/auth/domains/${domain.body.id}`, undefined, 'domain-removed')).status,
    ).toBe(204);
    const token = await call(acme, 'POST', '/api/v1/auth/scim/token', undefined, 'scim-token');
    expect(token.status).toBe(201);
    expect(
      (
        await call(
          acme,
          'PUT',
          '/api/v1/auth/scim/settings',
          { defaultRole: 'member', groupRoles: [] },
          'scim-settings',
        )
      ).status,
    ).toBe(200);
    expect((await call(acme, 'DELETE', '/api/v1/auth/scim', undefined, 'scim-off')).status).toBe(204);
    // billing: a budget, Checkout, the subscription Stripe then announces, Portal, a plan change, a cancellation
    expect(
      (await call(acme, 'PUT', '/api/v1/billing/budgets', { scope: 'tenant', monthlyCapMicros: 25_000_000 }, 'budget'))
        .status,
    ).toBe(200);
    expect((await call(acme, 'POST', '/api/v1/billing/checkout', { plan: 'pro' }, 'checkout')).status).toBe(201);
    const subscriptionId = `sub_audit_${suffix}`;
    await deliverSubscription(subscriptionId);
    expect((await call(acme, 'POST', '/api/v1/billing/portal', {}, 'portal')).status).toBe(201);
    expect((await call(acme, 'POST', '/api/v1/billing/subscription/plan', { plan: 'enterprise' }, 'plan')).status).toBe(
      202,
    );
    expect(
      (await call(acme, 'POST', '/api/v1/billing/subscription/cancel', { cancelAtPeriodEnd: true }, 'cancel')).status,
    ).toBe(202);
    // analytics: the consent switched, and the audit log exported (an export is itself audited)
    expect((await call(acme, 'PUT', '/api/v1/analytics/consent', { enabled: false }, 'consent')).status).toBe(200);
    expect((await call(acme, 'GET', '/api/v1/analytics/audit/export?format=json', undefined, 'export')).status).toBe(
      200,
    );

    const expected: [string, string, string, string | null][] = [
      // name, action, target type, details' kind (`setting` for SSO, `change` for billing)
      ['key-set', 'provider-key.set', 'provider-key', null],
      ['key-removed', 'provider-key.removed', 'provider-key', null],
      ['sso-created', 'sso.configured', 'sso-connection', 'connection'],
      ['sso-deleted', 'sso.removed', 'sso-connection', 'connection'],
      ['sso-policy', 'sso.configured', 'sso-policy', 'policy'],
      ['domain-claimed', 'sso.configured', 'domain', 'domain'],
      ['domain-removed', 'sso.removed', 'domain', 'domain'],
      ['scim-token', 'sso.configured', 'scim-directory', 'scim.token'],
      ['scim-settings', 'sso.configured', 'scim-directory', 'scim.settings'],
      ['scim-off', 'sso.removed', 'scim-directory', 'scim'],
      ['budget', 'billing.changed', 'budget', 'budget'],
      ['checkout', 'billing.changed', 'checkout-session', 'checkout'],
      ['portal', 'billing.changed', 'customer', 'portal'],
      ['plan', 'billing.changed', 'subscription', 'plan'],
      ['cancel', 'billing.changed', 'subscription', 'cancellation'],
      ['consent', 'settings.changed', 'setting', null],
      ['export', 'audit.exported', 'audit-log', null],
    ];
    const sources = ['provider-key', 'sso', 'billing', 'settings', 'audit'];
    const ofSources = (entries: Entry[]) => entries.filter((e) => sources.some((s) => e.action.startsWith(s)));
    const entries = await waitFor(
      async () => {
        const got = ofSources(await auditOf(acme));
        return got.length >= expected.length + 1 ? got : undefined; // + the webhook's subscription change
      },
      { what: 'every admin action in the audit log', timeoutMs: 90_000, intervalMs: 500 },
    );
    // Exactly one entry per action, each from its own request.
    expect(entries).toHaveLength(expected.length + 1);
    for (const [name, action, targetType, kind] of expected) {
      const mine = entries.filter((e) => e.requestId === requestIds.get(name));
      expect(mine, name).toHaveLength(1);
      const entry = mine[0]!;
      expect(entry, name).toMatchObject({
        action,
        actor: { kind: 'user', id: acme.userId },
        target: { type: targetType },
        ip: CLIENT_IP,
        userAgent: AGENT,
      });
      if (kind) expect(entry.details.setting ?? entry.details.change, name).toBe(kind);
    }
    const byName = (name: string) => entries.find((e) => e.requestId === requestIds.get(name))!;
    expect(byName('key-set').details).toMatchObject({ provider: 'openai', model: 'gpt-4.1', keyChanged: true });
    expect(JSON.stringify(entries)).not.toContain('sk-audit-0123456789abcdef');
    expect(JSON.stringify(entries)).not.toContain(token.body.token);
    expect(byName('sso-created').target.id).toBe(connection.body.id);
    expect(byName('domain-claimed').target.id).toBe(domain.body.id);
    expect(byName('plan').details).toMatchObject({ to: 'enterprise' });
    const webhook = entries.filter((e) => e.actor.kind === 'system');
    expect(webhook).toHaveLength(1);
    expect(webhook[0]).toMatchObject({
      action: 'billing.changed',
      target: { type: 'subscription', id: subscriptionId },
      details: { change: 'subscription', event: 'customer.subscription.updated', to: 'pro' },
    });
  }, 300_000);

  it('another tenant cannot read them, by listing or by naming their targets', async () => {
    const mine = await auditOf(acme);
    const theirs = await auditOf(globex);
    expect(theirs.some((e) => e.action.startsWith('provider-key') || e.action.startsWith('sso'))).toBe(false);
    const ids = new Set(mine.map((e) => e.requestId));
    expect(theirs.filter((e) => ids.has(e.requestId))).toEqual([]);
    const target = mine.find((e) => e.action === 'sso.configured' && e.target.type === 'sso-connection')!;
    expect(await auditOf(globex, `&targetId=${target.target.id}`)).toEqual([]);
    const exported = await call(globex, 'GET', '/api/v1/analytics/audit/export?format=json&action=billing.changed');
    expect(exported.status).toBe(200);
    expect(JSON.stringify(exported.body)).not.toContain(acme.tenantId);
    expect(JSON.stringify(exported.body)).not.toContain(acme.userId);
  });

  /** A signed `customer.subscription.updated` for acme's subscription on the pro plan, as Stripe sends it. */
  async function deliverSubscription(id: string): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const item = (itemId: string, price: string, quantity: number) => ({
      id: itemId,
      object: 'subscription_item',
      price: { id: price, object: 'price' },
      quantity,
      current_period_start: now,
      current_period_end: now + 30 * 86_400,
    });
    const payload = JSON.stringify({
      id: `evt_audit_${suffix}`,
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: now,
      type: 'customer.subscription.updated',
      data: {
        object: {
          id,
          object: 'subscription',
          customer: `cus_audit_${suffix}`,
          status: 'active',
          cancel_at_period_end: false,
          trial_end: null,
          metadata: { tenant_id: acme.tenantId },
          items: {
            object: 'list',
            data: [item(`si_${id}_plan`, 'price_auditPro', 1), item(`si_${id}_seat`, 'price_auditSeat', 2)],
          },
        },
      },
    });
    const res = await fetch(`${api}/api/v1/billing/webhooks/stripe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
      },
      body: payload,
    });
    expect(res.status).toBe(200);
  }
});
