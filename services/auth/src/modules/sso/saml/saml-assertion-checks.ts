import type { LoginTrace } from '../login-trace';
import { elements, NS, parseSamlXml } from './saml-xml';

export interface CheckedAssertion {
  id: string;
  /** Until when the assertion could be valid at all (its latest NotOnOrAfter): keep its id that long. */
  validUntilMs: number;
}

/**
 * Checks node-saml leaves to us, on the assertion whose signature it verified (so a wrapped,
 * unsigned copy elsewhere in the document is never what is read): the issuer is the IdP of this
 * connection, a bearer SubjectConfirmationData names our ACS as Recipient, and it has an id.
 */
export function checkVerifiedAssertion(
  assertionXml: string,
  expected: { issuer: string; acsUrl: string },
  trace: LoginTrace,
): CheckedAssertion {
  const doc = parseSamlXml(assertionXml);
  const assertion = doc?.documentElement;
  if (!doc || !assertion || assertion.localName !== 'Assertion') {
    trace.fail('signed assertion', 'response_malformed', 'The verified data is not an assertion');
  }
  const issuer = elements(doc, NS.assertion, 'Issuer')[0]?.textContent?.trim() ?? '';
  if (issuer !== expected.issuer) {
    trace.fail('issuer', 'issuer_mismatch', `Issuer ${issuer || '(none)'} is not ${expected.issuer}`);
  }
  trace.pass('issuer', issuer);
  const confirmations = elements(doc, NS.assertion, 'SubjectConfirmationData');
  const recipients = confirmations.map((c) => c.getAttribute('Recipient') ?? '');
  if (recipients.length === 0 || recipients.some((r) => r !== expected.acsUrl)) {
    trace.fail(
      'recipient',
      'recipient_mismatch',
      `Recipient ${recipients.join(', ') || '(none)'} is not ${expected.acsUrl}`,
    );
  }
  trace.pass('recipient', expected.acsUrl);
  const id = assertion.getAttribute('ID') ?? '';
  if (!id) trace.fail('assertion id', 'response_malformed', 'The assertion has no ID');
  const times = [...confirmations, ...elements(doc, NS.assertion, 'Conditions')]
    .map((e) => Date.parse(e.getAttribute('NotOnOrAfter') ?? ''))
    .filter((t) => Number.isFinite(t));
  const validUntilMs = times.length > 0 ? Math.max(...times) : Date.now() + 10 * 60_000;
  return { id, validUntilMs };
}
