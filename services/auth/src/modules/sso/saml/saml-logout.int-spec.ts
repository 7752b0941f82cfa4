import { verify, X509Certificate } from 'node:crypto';
import { Redis } from 'ioredis';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokedSessionKey, type SamlConnectionView } from '@parley/contracts';
import { infra } from '@parley/testing';
import type { HttpResult } from '../../../testing/auth-stack';
import { AuthStack } from '../../../testing/auth-stack';
import { SamlTenant } from '../../../testing/saml-harness';
import { TestIdp } from '../../../testing/test-idp';
import { generateIdpKeys } from '../../../testing/test-idp-keys';
import {
  logoutRequestXml,
  logoutResponseXml,
  redirectMessageOf,
  redirectQuery,
} from '../../../testing/test-idp-logout';

const IDP_SLO = 'https://idp.test/slo';

/**
 * SAML single logout against the auth service: our metadata, SP-initiated logout (sign-out answers
 * the IdP URL with our signed LogoutRequest; the IdP's LogoutResponse completes it) and
 * IdP-initiated logout (the IdP's signed LogoutRequest ends that person's sessions here and gets
 * our signed LogoutResponse), in both bindings.
 */
describe('SAML single logout: metadata, SP-initiated and IdP-initiated', () => {
  let stack: AuthStack;
  let idp: TestIdp;
  let tenant: SamlTenant;
  let plain: SamlTenant;
  let spCertificate: string;
  let redis: Redis;

  const sloOn = (idpOf: TestIdp) => ({
    singleLogout: true,
    idp: {
      entityId: idpOf.entityId,
      ssoUrl: 'https://idp.test/sso',
      sloUrl: IDP_SLO,
      certificates: [idpOf.keys.certificatePem],
    },
  });
  const sessionIdOf = (accessToken: string) => decodeJwt(accessToken).sid as string;
  const slo = (query: string, slug = tenant.slug) =>
    fetch(`${stack.base}/sso/saml/${slug}/slo?${query}`, { redirect: 'manual' });
  const sloPost = (form: Record<string, string>, slug = tenant.slug) =>
    fetch(`${stack.base}/sso/saml/${slug}/slo`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  const signOut = (accessToken: string) => stack.send('POST', '/auth/sign-out', { token: accessToken });
  const refreshes = async (session: HttpResult) =>
    (await stack.post('/auth/refresh', { refreshToken: session.body.refreshToken })).status;

  beforeAll(async () => {
    stack = await AuthStack.start({ HTTP_BODY_LIMIT_BYTES: '1048576' });
    idp = new TestIdp(generateIdpKeys('slo-idp'));
    tenant = await SamlTenant.create(stack, idp, sloOn(idp));
    plain = await SamlTenant.create(stack, idp);
    const view = await stack.get(`/auth/sso/connections/${tenant.connectionId}`, tenant.owner.accessToken);
    spCertificate = (view.body as SamlConnectionView).idp.spCertificate ?? '';
    redis = new Redis(infra().REDIS_URL);
  });

  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
  });

  it('shows our SLO URL and a signing certificate made for the connection; metadata publishes both', async () => {
    const view = (await stack.get(`/auth/sso/connections/${tenant.connectionId}`, tenant.owner.accessToken))
      .body as SamlConnectionView;
    expect(view.serviceProvider.sloUrl).toBe(tenant.sp.entityId.replace(/\/metadata$/, '/slo'));
    expect(view.serviceProvider.sloUrl).toMatch(new RegExp(`/api/v1/sso/saml/${tenant.slug}/slo$`));
    expect(view.idp).toMatchObject({ singleLogout: true, sloUrl: IDP_SLO });
    expect(new X509Certificate(spCertificate).subject).toBe(`CN=${tenant.sp.entityId}`);
    const xml = await (await fetch(`${stack.base}/sso/saml/${tenant.slug}/metadata`)).text();
    const base64 = spCertificate.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    expect(xml).toContain(`<KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${base64}`);
    for (const binding of ['HTTP-Redirect', 'HTTP-POST']) {
      expect(xml).toContain(
        `<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:${binding}" Location="${view.serviceProvider.sloUrl}"/>`,
      );
    }
    expect(xml).toContain('AuthnRequestsSigned="true"');
    // Our AuthnRequests are signed with the same key.
    const login = await tenant.login('/chat');
    const signedLogin = redirectMessageOf(login.location);
    const loginSignature = Buffer.from(signedLogin.params.get('Signature') ?? '', 'base64');
    expect(verify('sha256', Buffer.from(signedLogin.signedQuery), spCertificate, loginSignature)).toBe(true);
    // Off by default: no SLO service, no key, unsigned requests.
    expect(new URL((await plain.login()).location).searchParams.has('Signature')).toBe(false);
    const off = await (await fetch(`${stack.base}/sso/saml/${plain.slug}/metadata`)).text();
    expect(off).not.toContain('SingleLogoutService');
    expect(off).not.toContain('KeyDescriptor');
  });

  it('SP-initiated: sign-out revokes the session and sends the browser to the IdP with a signed LogoutRequest', async () => {
    const nameId = `slo-sp-${Date.now()}@example.com`;
    const signedIn = await tenant.signIn({ nameId });
    expect(signedIn.status).toBe(200);
    const sid = sessionIdOf(signedIn.body.accessToken);
    const out = await signOut(signedIn.body.accessToken);
    expect(out.status).toBe(200);
    const location = out.body.idpLogoutUrl as string;
    expect(location.startsWith(`${IDP_SLO}?`)).toBe(true);
    const { xml, params, signedQuery } = redirectMessageOf(location);
    expect(params.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    const signature = Buffer.from(params.get('Signature') ?? '', 'base64');
    expect(verify('sha256', Buffer.from(signedQuery), spCertificate, signature)).toBe(true);
    expect(xml).toContain(`Destination="${IDP_SLO}"`);
    expect(xml).toContain(`>${tenant.sp.entityId}</saml:Issuer>`);
    expect(xml).toMatch(new RegExp(`<saml:NameID Format="[^"]+emailAddress">${nameId}</saml:NameID>`));
    expect(xml).toMatch(/<saml2p:SessionIndex[^>]*>_a[0-9a-f]{32}<\/saml2p:SessionIndex>/);
    // The Parley session is gone at once: refresh refused, the access token in the edge's revocation set.
    expect(await refreshes(signedIn)).toBe(401);
    expect(await redis.exists(revokedSessionKey(tenant.owner.tenant.id, sid))).toBe(1);

    // The IdP answers at our SLO endpoint; the browser lands on sign-in; the same answer again is refused.
    const requestId = /\sID="([^"]+)"/.exec(xml)![1]!;
    const answer = redirectQuery(
      idp,
      'SAMLResponse',
      logoutResponseXml(idp, { destination: tenant.sp.sloUrl, inResponseTo: requestId }),
    );
    const done = await slo(answer);
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ redirectTo: '/sign-in' });
    const again = await slo(answer);
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({
      error: { code: 'sso_logout_rejected', details: { reason: 'in_response_to_invalid' } },
    });
  });

  it('SP-initiated: a LogoutResponse by POST (XML signature) completes it too; a password session signs out with 204', async () => {
    const signedIn = await tenant.signIn();
    const out = await signOut(signedIn.body.accessToken);
    const requestId = /\sID="([^"]+)"/.exec(redirectMessageOf(out.body.idpLogoutUrl as string).xml)![1]!;
    const xml = idp.sign(
      logoutResponseXml(idp, { destination: tenant.sp.sloUrl, inResponseTo: requestId }),
      'LogoutResponse',
    );
    const done = await sloPost({ SAMLResponse: Buffer.from(xml).toString('base64') });
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ redirectTo: '/sign-in' });
    const password = await signOut(tenant.owner.accessToken);
    expect(password.status).toBe(204);
    expect(password.body).toBeUndefined();
  });

  it('IdP-initiated (redirect): every session of that NameID ends, others stay; a signed LogoutResponse goes back', async () => {
    const nameId = `slo-idp-${Date.now()}@example.com`;
    const first = await tenant.signIn({ nameId });
    const second = await tenant.signIn({ nameId });
    const bystander = await tenant.signIn();
    const request = logoutRequestXml(idp, { destination: tenant.sp.sloUrl, nameId });
    const res = await slo(redirectQuery(idp, 'SAMLRequest', request, { relayState: 'idp-state-1' }));
    expect(res.status).toBe(302);
    const location = res.headers.get('location') ?? '';
    expect(location.startsWith(`${IDP_SLO}?`)).toBe(true);
    const { xml, params, signedQuery } = redirectMessageOf(location);
    expect(params.get('RelayState')).toBe('idp-state-1');
    expect(
      verify('sha256', Buffer.from(signedQuery), spCertificate, Buffer.from(params.get('Signature')!, 'base64')),
    ).toBe(true);
    expect(xml).toContain(`InResponseTo="${/\sID="([^"]+)"/.exec(request)![1]}"`);
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:Success');
    expect(xml).toContain(`Destination="${IDP_SLO}"`);
    for (const ended of [first, second]) {
      expect(await refreshes(ended)).toBe(401);
      expect(await redis.exists(revokedSessionKey(tenant.owner.tenant.id, sessionIdOf(ended.body.accessToken)))).toBe(
        1,
      );
    }
    expect(await refreshes(bystander)).toBe(200);
  });

  it('IdP-initiated (POST, naming one SessionIndex): only that IdP session ends', async () => {
    const nameId = `slo-index-${Date.now()}@example.com`;
    const first = await tenant.signIn({ nameId });
    const second = await tenant.signIn({ nameId });
    const { rows } = await stack.pg.query<{ session_index: string }>(
      `SELECT session_index FROM auth.saml_sessions WHERE session_id = $1`,
      [sessionIdOf(first.body.accessToken)],
    );
    const request = logoutRequestXml(idp, {
      destination: tenant.sp.sloUrl,
      nameId,
      sessionIndexes: [rows[0]!.session_index],
    });
    const signed = idp.sign(request, 'LogoutRequest');
    const res = await sloPost({ SAMLRequest: Buffer.from(signed).toString('base64'), RelayState: 'r' });
    expect(res.status).toBe(302);
    expect(await refreshes(first)).toBe(401);
    expect(await refreshes(second)).toBe(200);
  });

  it('signed AuthnRequests alone: a key, requests signed, metadata with the certificate but no SLO; sign-out ends here', async () => {
    const signing = await SamlTenant.create(stack, idp, { signAuthnRequests: true });
    const view = (await stack.get(`/auth/sso/connections/${signing.connectionId}`, signing.owner.accessToken))
      .body as SamlConnectionView;
    expect(view.idp).toMatchObject({ signAuthnRequests: true, singleLogout: false });
    const certificate = view.idp.spCertificate ?? '';
    const login = redirectMessageOf((await signing.login('/')).location);
    const loginSignature = Buffer.from(login.params.get('Signature') ?? '', 'base64');
    expect(verify('sha256', Buffer.from(login.signedQuery), certificate, loginSignature)).toBe(true);
    const xml = await (await fetch(`${stack.base}/sso/saml/${signing.slug}/metadata`)).text();
    expect(xml).toContain('AuthnRequestsSigned="true"');
    expect(xml).toContain(certificate.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''));
    expect(xml).not.toContain('SingleLogoutService');
    const signedIn = await signing.signIn();
    expect((await signOut(signedIn.body.accessToken)).status).toBe(204);
  });
});
