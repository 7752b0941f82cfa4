import { verify, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditActionRecordedV1, SSO_ADMIN_ROUTES, type SamlConnectionView } from '@parley/contracts';
import { AuthStack, type Session } from '../../../testing/auth-stack';
import { SamlTenant } from '../../../testing/saml-harness';
import { TestIdp } from '../../../testing/test-idp';
import { generateIdpKeys } from '../../../testing/test-idp-keys';
import { redirectMessageOf } from '../../../testing/test-idp-logout';

/** The auth service's own path of an admin route (the gateway forwards `/api/v1/auth/*` to `/auth/*`). */
const own = (path: string) => path.replace(/^\/api\/v1/, '');

/**
 * Rotating our SAML signing key: prepare (metadata publishes both certificates, the current key
 * still signs), activate (the next key signs, the old certificate is gone), discard; who may, and
 * what is refused.
 */
describe('SAML: rotating our signing key without a sign-in outage', () => {
  let stack: AuthStack;
  let idp: TestIdp;
  let tenant: SamlTenant;
  let plain: SamlTenant;
  let admin: Session;
  let member: Session;
  let other: Session;

  const base64Of = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const view = async (t = tenant) =>
    (await stack.get(own(SSO_ADMIN_ROUTES.connection(t.connectionId)), t.owner.accessToken)).body as SamlConnectionView;
  const metadataCertificates = async (slug = tenant.slug) => {
    const xml = await (await fetch(`${stack.base}/sso/saml/${slug}/metadata`)).text();
    return [...xml.matchAll(/<ds:X509Certificate>([^<]+)<\/ds:X509Certificate>/g)].map((m) => m[1]);
  };
  /** Whether our next AuthnRequest's signature verifies with this certificate. */
  const loginSignedBy = async (certificate: string) => {
    const signed = redirectMessageOf((await tenant.login('/chat')).location);
    const signature = Buffer.from(signed.params.get('Signature') ?? '', 'base64');
    return verify('sha256', Buffer.from(signed.signedQuery), certificate, signature);
  };
  const step = (method: 'POST' | 'DELETE', path: string, token: string) => stack.request(method, own(path), '', token);
  /** Prepare, activate and discard, on one connection. */
  const everyStep = (connectionId: string) =>
    [
      ['POST', SSO_ADMIN_ROUTES.nextSigningKey(connectionId)],
      ['POST', SSO_ADMIN_ROUTES.activateSigningKey(connectionId)],
      ['DELETE', SSO_ADMIN_ROUTES.nextSigningKey(connectionId)],
    ] as const;

  beforeAll(async () => {
    stack = await AuthStack.start({ HTTP_BODY_LIMIT_BYTES: '1048576' });
    idp = new TestIdp(generateIdpKeys('rotation-idp'));
    tenant = await SamlTenant.create(stack, idp, {
      signAuthnRequests: true,
      idp: { entityId: idp.entityId, ssoUrl: 'https://idp.test/sso', certificates: [idp.keys.certificatePem] },
    });
    plain = await SamlTenant.create(stack, idp);
    admin = await stack.join(tenant.owner, 'admin');
    member = await stack.join(tenant.owner, 'member');
    other = await stack.signUp();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('prepares, publishes both, keeps signing with the current key, then switches to the next one', async () => {
    const current = (await view()).idp.spCertificate ?? '';
    expect(await metadataCertificates()).toEqual([base64Of(current)]);

    const prepared = await step('POST', SSO_ADMIN_ROUTES.nextSigningKey(tenant.connectionId), admin.accessToken);
    expect(prepared.status).toBe(201);
    const next = (prepared.body as SamlConnectionView).idp.spNextCertificate ?? '';
    expect(new X509Certificate(next).subject).toBe(`CN=${tenant.sp.entityId}`);
    expect(next).not.toBe(current);
    expect((prepared.body as SamlConnectionView).idp.spCertificate).toBe(current);
    expect(await metadataCertificates()).toEqual([base64Of(current), base64Of(next)]);
    expect(await loginSignedBy(current)).toBe(true);

    const twice = await step('POST', SSO_ADMIN_ROUTES.nextSigningKey(tenant.connectionId), admin.accessToken);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('sso_next_signing_key_exists');

    const activated = await step('POST', SSO_ADMIN_ROUTES.activateSigningKey(tenant.connectionId), admin.accessToken);
    expect(activated.status).toBe(200);
    expect((activated.body as SamlConnectionView).idp.spCertificate).toBe(next);
    expect((activated.body as SamlConnectionView).idp.spNextCertificate).toBeUndefined();
    expect(await metadataCertificates()).toEqual([base64Of(next)]);
    expect(await loginSignedBy(next)).toBe(true);
    expect(await loginSignedBy(current)).toBe(false);
    // An edit of the connection keeps the activated key.
    const edited = await stack.request(
      'PUT',
      own(SSO_ADMIN_ROUTES.connection(tenant.connectionId)),
      JSON.stringify({
        protocol: 'saml',
        name: 'Renamed IdP',
        enabled: true,
        signAuthnRequests: true,
        idp: { entityId: idp.entityId, ssoUrl: 'https://idp.test/sso', certificates: [idp.keys.certificatePem] },
        attributeMapping: { email: 'email' },
      }),
      tenant.owner.accessToken,
    );
    expect(edited.status).toBe(200);
    expect((edited.body as SamlConnectionView).idp.spCertificate).toBe(next);
    expect(await loginSignedBy(next)).toBe(true);

    const facts = await stack.pg.query<{ value: { details: Record<string, unknown> } }>(
      `SELECT value FROM control.outbox WHERE topic = $1 AND value->>'tenantId' = $2 AND value->'details'->>'setting' = 'signing-key'
       ORDER BY created_at, id`,
      [AuditActionRecordedV1.name, tenant.owner.tenant.id],
    );
    expect(facts.rows.map((r) => r.value.details.step)).toEqual(['prepared', 'activated']);
  });

  it('discards a next key: the current one stays, and nothing is left to activate', async () => {
    const current = (await view()).idp.spCertificate ?? '';
    expect(
      (await step('POST', SSO_ADMIN_ROUTES.nextSigningKey(tenant.connectionId), tenant.owner.accessToken)).status,
    ).toBe(201);
    const discarded = await step(
      'DELETE',
      SSO_ADMIN_ROUTES.nextSigningKey(tenant.connectionId),
      tenant.owner.accessToken,
    );
    expect(discarded.status).toBe(200);
    expect((discarded.body as SamlConnectionView).idp.spNextCertificate).toBeUndefined();
    expect(await metadataCertificates()).toEqual([base64Of(current)]);
    expect(await loginSignedBy(current)).toBe(true);
    for (const [method, path] of [
      ['POST', SSO_ADMIN_ROUTES.activateSigningKey(tenant.connectionId)],
      ['DELETE', SSO_ADMIN_ROUTES.nextSigningKey(tenant.connectionId)],
    ] as const) {
      const refused = await step(method, path, tenant.owner.accessToken);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('sso_next_signing_key_missing');
    }
  });

  it('refuses a connection without a signing key of ours (no single logout, no signed requests)', async () => {
    const refused = await step('POST', SSO_ADMIN_ROUTES.nextSigningKey(plain.connectionId), plain.owner.accessToken);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('sso_signing_key_missing');
    expect(await metadataCertificates(plain.slug)).toEqual([]);
  });

  it('a member cannot prepare, activate or discard a key', async () => {
    for (const [method, path] of everyStep(tenant.connectionId)) {
      const refused = await step(method, path, member.accessToken);
      expect(refused.status).toBe(403);
    }
    expect((await view()).idp.spNextCertificate).toBeUndefined();
  });

  it("another tenant cannot touch this connection's key (404), nor learn that it exists", async () => {
    for (const [method, path] of everyStep(tenant.connectionId)) {
      const refused = await step(method, path, other.accessToken);
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('not_found');
    }
    const fromPlain = await step('POST', SSO_ADMIN_ROUTES.nextSigningKey(tenant.connectionId), plain.owner.accessToken);
    expect(fromPlain.status).toBe(404);
    expect((await view()).idp.spNextCertificate).toBeUndefined();
    const bad = await step('POST', SSO_ADMIN_ROUTES.nextSigningKey('not-a-uuid'), tenant.owner.accessToken);
    expect(bad.status).toBe(400);
  });
});
