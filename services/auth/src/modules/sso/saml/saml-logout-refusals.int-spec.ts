import { deflateRawSync } from 'node:zlib';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SamlConnectionView } from '@parley/contracts';
import type { HttpResult, Session } from '../../../testing/auth-stack';
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
 * What our SingleLogoutService refuses: each forged, bent, replayed or misdirected logout message
 * is 401 `sso_logout_rejected` with its reason, and no session ends.
 */
describe('SAML single logout refusals: nothing revoked', () => {
  let stack: AuthStack;
  let idp: TestIdp;
  let stranger: TestIdp;
  let a: SamlTenant;
  let b: SamlTenant;
  let off: SamlTenant;
  let member: Session;

  const sloOn = (over: Record<string, unknown> = {}) => ({
    singleLogout: true,
    idp: {
      entityId: idp.entityId,
      ssoUrl: 'https://idp.test/sso',
      sloUrl: IDP_SLO,
      certificates: [idp.keys.certificatePem],
    },
    ...over,
  });
  const slo = async (slug: string, query: string) =>
    answer(await fetch(`${stack.base}/sso/saml/${slug}/slo?${query}`, { redirect: 'manual' }));
  const sloPost = async (slug: string, form: Record<string, string>) =>
    answer(
      await fetch(`${stack.base}/sso/saml/${slug}/slo`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      }),
    );
  const answer = async (res: Response): Promise<HttpResult> => {
    const json = (res.headers.get('content-type') ?? '').includes('json');
    return { status: res.status, body: json ? await res.json() : await res.text(), retryAfter: null };
  };
  const refused = (res: HttpResult, reason: string) => {
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'sso_logout_rejected', details: { reason } });
  };
  const alive = async (session: HttpResult) => {
    const { rows } = await stack.pg.query<{ revoked_at: Date | null }>(
      `SELECT revoked_at FROM auth.sessions WHERE id = $1`,
      [decodeJwt(session.body.accessToken).sid],
    );
    expect(rows[0]?.revoked_at).toBeNull();
  };
  const request = (nameId: string, over: Partial<Parameters<typeof logoutRequestXml>[1]> = {}) =>
    logoutRequestXml(idp, { destination: a.sp.sloUrl, nameId, ...over });
  const b64 = (xml: string) => Buffer.from(xml).toString('base64');

  beforeAll(async () => {
    stack = await AuthStack.start({ HTTP_BODY_LIMIT_BYTES: '1048576' });
    idp = new TestIdp(generateIdpKeys('slo-refusals-idp'));
    stranger = new TestIdp(generateIdpKeys('slo-stranger'), idp.entityId);
    // A and B trust the same IdP and certificate: the worst case for cross-tenant use.
    a = await SamlTenant.create(stack, idp, sloOn());
    b = await SamlTenant.create(stack, idp, sloOn());
    off = await SamlTenant.create(stack, idp);
    member = await stack.join(a.owner, 'member');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses an unsigned, a stranger-signed, a SHA-1 and a tampered LogoutRequest (both bindings)', async () => {
    const nameId = `r1-${Date.now()}@example.com`;
    const session = await a.signIn({ nameId });
    refused(
      await slo(a.slug, redirectQuery(idp, 'SAMLRequest', request(nameId), { sign: false })),
      'signature_missing',
    );
    refused(await slo(a.slug, redirectQuery(stranger, 'SAMLRequest', request(nameId))), 'signature_invalid');
    refused(
      await slo(a.slug, redirectQuery(idp, 'SAMLRequest', request(nameId), { algorithm: 'sha1' })),
      'weak_algorithm',
    );
    // The signed query with another message put in its place.
    const signed = redirectQuery(idp, 'SAMLRequest', request('someone-else@example.com'));
    const swapped = signed.replace(
      /^SAMLRequest=[^&]+/,
      `SAMLRequest=${encodeURIComponent(deflateRawSync(request(nameId)).toString('base64'))}`,
    );
    refused(await slo(a.slug, swapped), 'signature_invalid');
    refused(await sloPost(a.slug, { SAMLRequest: b64(request(nameId)) }), 'signature_missing');
    refused(
      await sloPost(a.slug, { SAMLRequest: b64(stranger.sign(request(nameId), 'LogoutRequest')) }),
      'signature_invalid',
    );
    const tampered = idp
      .sign(request('someone-else@example.com'), 'LogoutRequest')
      .replace('someone-else@example.com', nameId);
    refused(await sloPost(a.slug, { SAMLRequest: b64(tampered) }), 'signature_invalid');
    await alive(session);
  });

  it('refuses a replayed, an expired, a misaddressed and a foreign-issuer LogoutRequest', async () => {
    const nameId = `r2-${Date.now()}@example.com`;
    await a.signIn({ nameId });
    const query = redirectQuery(idp, 'SAMLRequest', request(nameId));
    expect((await slo(a.slug, query)).status).toBe(302);
    const again = await a.signIn({ nameId });
    refused(await slo(a.slug, query), 'logout_request_replayed');
    refused(
      await slo(a.slug, redirectQuery(idp, 'SAMLRequest', request(nameId, { issuedOffsetMs: -7 * 60_000 }))),
      'logout_request_expired',
    );
    refused(
      await slo(a.slug, redirectQuery(idp, 'SAMLRequest', request(nameId, { destination: 'https://evil.test/slo' }))),
      'destination_mismatch',
    );
    refused(
      await slo(a.slug, redirectQuery(idp, 'SAMLRequest', request(nameId, { issuer: 'https://other-idp.test' }))),
      'issuer_mismatch',
    );
    await alive(again);
  });

  it('another tenant cannot end sessions of this tenant: A’s request at B is misaddressed; B’s own ends none of A', async () => {
    const nameId = `r3-${Date.now()}@example.com`;
    const inA = await a.signIn({ nameId });
    refused(await slo(b.slug, redirectQuery(idp, 'SAMLRequest', request(nameId))), 'destination_mismatch');
    // Addressed to B, signed by the IdP both trust: B's sessions of that NameID only (none).
    const atB = await slo(b.slug, redirectQuery(idp, 'SAMLRequest', request(nameId, { destination: b.sp.sloUrl })));
    expect(atB.status).toBe(302);
    await alive(inA);
  });

  it('refuses logout where single logout is off, and a DOCTYPE, an oversized or duplicated message', async () => {
    const nameId = `r4-${Date.now()}@example.com`;
    const session = await a.signIn({ nameId });
    const atOff = redirectQuery(idp, 'SAMLRequest', request(nameId, { destination: off.sp.sloUrl }));
    refused(await slo(off.slug, atOff), 'single_logout_disabled');
    const doctype = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]>${request(nameId)}`;
    refused(await slo(a.slug, redirectQuery(idp, 'SAMLRequest', doctype)), 'doctype_refused');
    const huge = request(nameId).replace(
      '</samlp:LogoutRequest>',
      `<x>${'a'.repeat(70_000)}</x></samlp:LogoutRequest>`,
    );
    refused(await slo(a.slug, redirectQuery(idp, 'SAMLRequest', huge)), 'response_too_large');
    const query = redirectQuery(idp, 'SAMLRequest', request(nameId));
    refused(await slo(a.slug, `${query}&SigAlg=x`), 'response_malformed');
    refused(await slo(a.slug, ''), 'response_missing');
    await alive(session);
  });

  it('refuses a LogoutResponse answering nothing of ours, a login request, or another tenant’s logout', async () => {
    const response = (inResponseTo: string, destination = a.sp.sloUrl) =>
      redirectQuery(idp, 'SAMLResponse', logoutResponseXml(idp, { destination, inResponseTo }));
    refused(await slo(a.slug, response('_never-sent')), 'in_response_to_invalid');
    const { requestId: loginId } = await a.login();
    refused(await slo(a.slug, response(loginId)), 'in_response_to_invalid');
    const signedIn = await b.signIn();
    const out = await stack.send('POST', '/auth/sign-out', { token: signedIn.body.accessToken });
    const logoutId = /\sID="([^"]+)"/.exec(redirectMessageOf(out.body.idpLogoutUrl as string).xml)![1]!;
    refused(await slo(a.slug, response(logoutId)), 'in_response_to_invalid');
    // Still pending at B: B's own LogoutResponse completes it.
    expect((await slo(b.slug, response(logoutId, b.sp.sloUrl))).status).toBe(200);
  });

  it('a member cannot change single logout; a replacement keeps our certificate; turned off, metadata drops SLO', async () => {
    const path = `/auth/sso/connections/${a.connectionId}`;
    const view = (await stack.get(path, a.owner.accessToken)).body as SamlConnectionView;
    const body = (singleLogout: boolean) =>
      JSON.stringify({
        protocol: 'saml',
        name: view.name,
        enabled: true,
        idp: {
          entityId: idp.entityId,
          ssoUrl: 'https://idp.test/sso',
          sloUrl: IDP_SLO,
          certificates: [idp.keys.certificatePem],
        },
        singleLogout,
      });
    const byMember = await stack.request('PUT', path, body(false), member.accessToken);
    expect(byMember.status).toBe(403);
    expect(byMember.body.error.code).toBe('forbidden');
    expect(((await stack.get(path, a.owner.accessToken)).body as SamlConnectionView).idp.singleLogout).toBe(true);

    const noUrl = await stack.request(
      'PUT',
      path,
      JSON.stringify({ ...JSON.parse(body(true)), idp: { ...JSON.parse(body(true)).idp, sloUrl: undefined } }),
      a.owner.accessToken,
    );
    expect(noUrl.status).toBe(400);
    expect(noUrl.body.error.code).toBe('validation_failed');

    const turnedOff = await stack.request('PUT', path, body(false), a.owner.accessToken);
    expect(turnedOff.status).toBe(200);
    expect(turnedOff.body.idp).toMatchObject({ singleLogout: false, spCertificate: view.idp.spCertificate });
    expect(await (await fetch(`${stack.base}/sso/saml/${a.slug}/metadata`)).text()).not.toContain(
      'SingleLogoutService',
    );
    const signedIn = await a.signIn();
    const out = await stack.send('POST', '/auth/sign-out', { token: signedIn.body.accessToken });
    expect(out.status).toBe(204);
    const back = await stack.request('PUT', path, body(true), a.owner.accessToken);
    expect(back.body.idp.spCertificate).toBe(view.idp.spCertificate);
  });
});
