import { SSO_SAML_ROUTES } from '@parley/contracts';

/** Our service provider's values for one tenant: what its IdP is given. */
export interface ServiceProviderValues {
  /** Our entity id (and the audience of its assertions): the metadata URL, unique per tenant. */
  entityId: string;
  acsUrl: string;
  metadataUrl: string;
  loginUrl: string;
  /** Our SingleLogoutService (HTTP-Redirect and HTTP-POST bindings). */
  sloUrl: string;
}

/** From the public URL (the gateway, PUBLIC_URL) and the tenant's slug. */
export function serviceProviderOf(publicUrl: string, tenantSlug: string): ServiceProviderValues {
  const metadataUrl = `${publicUrl}${SSO_SAML_ROUTES.metadata(tenantSlug)}`;
  return {
    entityId: metadataUrl,
    acsUrl: `${publicUrl}${SSO_SAML_ROUTES.acs(tenantSlug)}`,
    metadataUrl,
    loginUrl: `${publicUrl}${SSO_SAML_ROUTES.login(tenantSlug)}`,
    sloUrl: `${publicUrl}${SSO_SAML_ROUTES.slo(tenantSlug)}`,
  };
}
