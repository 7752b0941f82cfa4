import { Injectable } from '@nestjs/common';
import { SamlConnectionResolver } from '../../saml-connection-resolver';
import { samlFor } from '../../saml-service-provider';
import { SamlAssertionLedger } from '../../saml-stores';
import { signsRequests } from '../../sp-signing-key';

const BINDINGS = ['HTTP-Redirect', 'HTTP-POST'] as const;

/**
 * Our SP metadata for a tenant with a SAML connection (enabled or not: the IdP is set up first).
 * When the connection signs its requests (signed AuthnRequests or single logout on), it also
 * publishes our signing certificate and `AuthnRequestsSigned="true"`; with single logout, our
 * SingleLogoutService in both bindings. While our signing key is being rotated, the next
 * certificate is published after the current one.
 */
@Injectable()
export class GetSamlMetadataUseCase {
  constructor(
    private readonly resolver: SamlConnectionResolver,
    private readonly ledger: SamlAssertionLedger,
  ) {}

  async execute(tenantSlug: string): Promise<string> {
    const { connection, sp } = await this.resolver.resolve(tenantSlug);
    const saml = samlFor(connection, sp, this.ledger.requestCache(connection.tenantId));
    const xml = saml.generateServiceProviderMetadata(null, null);
    const certificate = connection.idp.spCertificate;
    if (!signsRequests(connection.idp) || !certificate) return xml;
    // During a rotation the next certificate is published too, so the IdP trusts it before it signs.
    const certificates = [certificate, ...(connection.spNextKey ? [connection.spNextKey.certificatePem] : [])];
    const keyDescriptor = certificates.map(keyDescriptorOf).join('');
    const services = BINDINGS.map(
      (binding) =>
        `<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:${binding}" Location="${escapeXml(sp.sloUrl)}"/>`,
    ).join('');
    const signed = xml
      .replace('AuthnRequestsSigned="false"', 'AuthnRequestsSigned="true"')
      .replace(/(<SPSSODescriptor\b[^>]*>)/, `$1${keyDescriptor}`);
    return connection.idp.singleLogout ? signed.replace(/(\s*<NameIDFormat\b)/, `${services}$1`) : signed;
  }
}

function keyDescriptorOf(certificate: string): string {
  const base64 = certificate.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return (
    `<KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${base64}` +
    `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>`
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}
