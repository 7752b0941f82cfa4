import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpResult } from '../../../testing/auth-stack';
import { AuthStack } from '../../../testing/auth-stack';
import { postAcs, SamlTenant } from '../../../testing/saml-harness';
import { encode, TestIdp } from '../../../testing/test-idp';
import { generateIdpKeys } from '../../../testing/test-idp-keys';

/**
 * The SAML attack suite against the ACS: every forged, bent or replayed response is refused with
 * 401 `sso_login_rejected`, its reason, and a trace of the attempt naming the same reason.
 */
describe('SAML ACS attack suite: each attack refused, with its reason in the answer and the trace', () => {
  let stack: AuthStack;
  let idp: TestIdp;
  let a: SamlTenant;
  let b: SamlTenant;

  /** Asserts the refusal and that the newest trace of the tenant records it. */
  const refused = async (res: HttpResult, reason: string, tenant: SamlTenant = a) => {
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'sso_login_rejected', details: { reason } });
    const [trace] = (await tenant.traces()).body.traces;
    expect(trace).toMatchObject({ id: res.body.error.details.traceId, outcome: 'rejected', reason, userId: null });
    expect(trace.steps.at(-1)).toMatchObject({ ok: false });
  };

  /** A valid signed response to a fresh login of tenant A, as XML. */
  const validXml = async (nameId = 'victim@example.com') => {
    const { requestId } = await a.login();
    return idp.responseXml(a.spec(requestId, { nameId }));
  };

  beforeAll(async () => {
    stack = await AuthStack.start({ HTTP_BODY_LIMIT_BYTES: '1048576' });
    idp = new TestIdp(generateIdpKeys('attack-idp'));
    // Both tenants trust the same IdP and certificate: the worst case for cross-tenant use.
    a = await SamlTenant.create(stack, idp);
    b = await SamlTenant.create(stack, idp);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('accepts the untampered response (the baseline every attack bends)', async () => {
    const res = await a.post(encode(await validXml('baseline@example.com')));
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe('baseline@example.com');
  });

  it('refuses an unsigned response, and one signed by a key the connection does not trust', async () => {
    const { requestId } = await a.login();
    await refused(await a.post(idp.response(a.spec(requestId, { sign: 'none' }))), 'signature_missing');
    const stranger = new TestIdp(generateIdpKeys('stranger'), idp.entityId);
    const { requestId: second } = await a.login();
    await refused(await a.post(stranger.response(a.spec(second))), 'signature_invalid');
  });

  it('refuses a signed response whose assertion is not signed itself', async () => {
    const { requestId } = await a.login();
    await refused(await a.post(idp.response(a.spec(requestId, { sign: 'response' }))), 'signature_invalid');
  });

  it('refuses signature wrapping (XSW): a forged assertion beside, around or instead of the signed one', async () => {
    const forged = (xml: string) =>
      /<saml:Assertion[\s\S]*<\/saml:Assertion>/
        .exec(xml)![0]
        .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')
        .replace(/ID="[^"]+"/, 'ID="_forged"')
        .replace(/victim@example\.com/g, 'attacker@example.com');
    const signedAssertion = (xml: string) => /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];

    // 1. The forged assertion first, the signed one after it.
    let xml = await validXml();
    await refused(
      await a.post(encode(xml.replace('<saml:Assertion', `${forged(xml)}<saml:Assertion`))),
      'signature_invalid',
    );
    // 2. The forged assertion wraps the signed one (hidden inside it).
    xml = await validXml();
    const wrapping = forged(xml).replace('</saml:Assertion>', `${signedAssertion(xml)}</saml:Assertion>`);
    await refused(await a.post(encode(xml.replace(signedAssertion(xml), wrapping))), 'signature_invalid');
    // 3. The signed assertion moved into the response's Extensions, the forged one in its place.
    xml = await validXml();
    const moved = xml
      .replace(signedAssertion(xml), forged(xml))
      .replace('<samlp:Status>', `<samlp:Extensions>${signedAssertion(xml)}</samlp:Extensions><samlp:Status>`);
    await refused(await a.post(encode(moved)), 'signature_invalid');
    // 4. The signed assertion edited after signing (NameID swapped): the digest no longer matches.
    xml = await validXml();
    await refused(
      await a.post(encode(xml.replace('>victim@example.com<', '>attacker@example.com<'))),
      'signature_invalid',
    );
    // 5. The forged assertion takes the signed one's ID, the signed one hidden in the signature's Object.
    xml = await validXml();
    const sameId = forged(xml).replace('ID="_forged"', `ID="${/ID="(_a[0-9a-f]+)"/.exec(xml)![1]}"`);
    const hidden = xml
      .replace(signedAssertion(xml), sameId)
      .replace(
        '</samlp:Response>',
        `<ds:Object xmlns:ds="http://www.w3.org/2000/09/xmldsig#">${signedAssertion(xml)}</ds:Object></samlp:Response>`,
      );
    await refused(await a.post(encode(hidden)), 'signature_invalid');
    expect(await stack.pg.query(`SELECT 1 FROM auth.users WHERE email = 'attacker@example.com'`)).toMatchObject({
      rowCount: 0,
    });
  });

  it('refuses comment injection in the NameID (a signed email that a naive reader would truncate)', async () => {
    const { requestId } = await a.login();
    const response = idp.response(
      a.spec(requestId, { nameId: 'x', rawNameId: 'admin@example.com<!---->.evil.example' }),
    );
    await refused(await a.post(response), 'comment_refused');
  });

  it('refuses a wrong audience, recipient, destination or issuer (all validly signed)', async () => {
    let { requestId } = await a.login();
    await refused(
      await a.post(idp.response(a.spec(requestId, { audience: 'https://other.example/sp' }))),
      'audience_mismatch',
    );
    ({ requestId } = await a.login());
    await refused(
      await a.post(idp.response(a.spec(requestId, { recipient: 'https://other.example/acs' }))),
      'recipient_mismatch',
    );
    ({ requestId } = await a.login());
    await refused(
      await a.post(idp.response(a.spec(requestId, { destination: 'https://other.example/acs' }))),
      'destination_mismatch',
    );
    ({ requestId } = await a.login());
    await refused(
      await a.post(idp.response(a.spec(requestId, { issuer: 'https://evil.example/idp' }))),
      'issuer_mismatch',
    );
  });

  it('refuses a replayed response, and lets exactly one of two replicas accept the same response at once', async () => {
    const response = encode(await validXml('replayed@example.com'));
    expect((await a.post(response)).status).toBe(200);
    await refused(await a.post(response), 'assertion_replayed');

    const replica = await stack.replica();
    const racing = encode(await validXml('racing@example.com'));
    const form = { SAMLResponse: racing };
    const both = await Promise.all([
      a.post(racing),
      fetch(`${replica}/sso/saml/${a.slug}/acs`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': stack.clientIp },
        body: new URLSearchParams(form).toString(),
      }).then(async (r) => ({ status: r.status })),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('refuses an expired or not-yet-valid assertion beyond 60 s of skew, accepts one within it', async () => {
    let { requestId } = await a.login();
    await refused(
      await a.post(idp.response(a.spec(requestId, { notOnOrAfterOffsetMs: -90_000 }))),
      'assertion_expired',
    );
    ({ requestId } = await a.login());
    await refused(
      await a.post(idp.response(a.spec(requestId, { notBeforeOffsetMs: 90_000, notOnOrAfterOffsetMs: 600_000 }))),
      'assertion_not_yet_valid',
    );
    ({ requestId } = await a.login());
    const skewed = await a.post(idp.response(a.spec(requestId, { notOnOrAfterOffsetMs: -20_000 })));
    expect(skewed.status).toBe(200);
  });

  it('refuses an InResponseTo we never sent, a missing one (IdP-initiated) and one already answered', async () => {
    await refused(await a.post(idp.response(a.spec('_never-sent'))), 'in_response_to_invalid');
    await refused(await a.post(idp.response(a.spec(null))), 'in_response_to_invalid');
    const { requestId } = await a.login();
    expect((await a.post(idp.response(a.spec(requestId)))).status).toBe(200);
    await refused(await a.post(idp.response(a.spec(requestId))), 'in_response_to_invalid');
  });

  it('accepts an IdP-initiated login only where the connection allows it, still once and still signed', async () => {
    const open = await SamlTenant.create(stack, idp, { allowIdpInitiated: true });
    const unsolicited = idp.response(open.spec(null, { attributes: { email: ['dashboard@example.com'] } }));
    const accepted = await open.post(unsolicited);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ redirectTo: '/', user: { email: 'dashboard@example.com' } });
    const [trace] = (await open.traces()).body.traces;
    expect(trace.steps).toContainEqual(expect.objectContaining({ check: 'IdP-initiated', ok: true }));
    // The same response again is a replay; a request we never sent is still refused; so is a forgery.
    await refused(await open.post(unsolicited), 'assertion_replayed', open);
    await refused(await open.post(idp.response(open.spec('_never-sent'))), 'in_response_to_invalid', open);
    const stranger = new TestIdp(generateIdpKeys('unsolicited-stranger'), idp.entityId);
    await refused(await open.post(stranger.response(open.spec(null))), 'signature_invalid', open);
    // Connection A (the default) still refuses the unsolicited shape, as above.
    await refused(await a.post(idp.response(a.spec(null))), 'in_response_to_invalid');
  });

  it('refuses SHA-1 signatures and digests', async () => {
    const { requestId } = await a.login();
    await refused(await a.post(idp.response(a.spec(requestId, { algorithm: 'sha1' }))), 'weak_algorithm');
  });

  it('refuses XML external entities and entity expansion (any DOCTYPE)', async () => {
    const xml = await validXml();
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${xml.replace('victim@example.com', '&x;')}`;
    await refused(await a.post(encode(xxe)), 'doctype_refused');
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' +
      xml;
    await refused(await a.post(encode(laughs)), 'doctype_refused');
  });

  it('refuses tenant A’s assertion at tenant B’s ACS, even when both trust the same IdP', async () => {
    // As issued for A: B's destination check refuses it.
    await refused(await postAcs(stack, b.slug, encode(await validXml())), 'destination_mismatch', b);
    // Re-addressed to B but answering A's request: B has no such request (stores are per tenant).
    const { requestId } = await a.login();
    await refused(await b.post(idp.response(b.spec(requestId))), 'in_response_to_invalid', b);
    // Answering B's own request but with A's audience.
    const { requestId: bRequest } = await b.login();
    await refused(await b.post(idp.response(b.spec(bRequest, { audience: a.sp.entityId }))), 'audience_mismatch', b);
  });

  it('refuses a missing, non-base64 or non-SAML response, and a RelayState that leaves our app', async () => {
    await refused(await a.post(''), 'response_missing');
    await refused(await a.post('%%% not base64 %%%'), 'response_malformed');
    await refused(await a.post(encode('<html>no</html>')), 'response_malformed');
    await refused(
      await a.post(encode(await validXml()), { relayState: 'https://evil.example/' }),
      'relay_state_invalid',
    );
  });
});
