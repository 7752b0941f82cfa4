import { SSO_PROTOCOLS, type SsoProtocol } from '@parley/contracts';
import type { MessageKey } from '../../i18n/en';

/** A protocol the wizard may offer: the API's own (SAML today) and those announced (OIDC, LDAP). */
export type WizardProtocol = SsoProtocol | 'oidc' | 'ldap';

/** One choice of the setup wizard: an identity provider, the protocol it speaks and its instructions. */
export interface IdentityProviderChoice {
  id: 'okta' | 'entra' | 'google' | 'keycloak' | 'saml' | 'oidc' | 'ldap';
  protocol: WizardProtocol;
  label: MessageKey;
  /** Short steps on the IdP's side, one catalogue string. */
  steps: MessageKey;
  /** The attribute names this IdP sends by default, to prefill the mapping. */
  attributes: { email?: string; name?: string; groups?: string };
}

export const IDENTITY_PROVIDERS: readonly IdentityProviderChoice[] = [
  {
    id: 'okta',
    protocol: 'saml',
    label: 'sso.idp.okta',
    steps: 'sso.steps.okta',
    attributes: { email: 'email', name: 'firstName', groups: 'groups' },
  },
  {
    id: 'entra',
    protocol: 'saml',
    label: 'sso.idp.entra',
    steps: 'sso.steps.entra',
    attributes: {
      email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
      groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
    },
  },
  {
    id: 'google',
    protocol: 'saml',
    label: 'sso.idp.google',
    steps: 'sso.steps.google',
    attributes: { email: 'email', name: 'firstName', groups: 'groups' },
  },
  {
    id: 'keycloak',
    protocol: 'saml',
    label: 'sso.idp.keycloak',
    steps: 'sso.steps.keycloak',
    attributes: { email: 'email', name: 'firstName', groups: 'groups' },
  },
  { id: 'saml', protocol: 'saml', label: 'sso.idp.saml', steps: 'sso.steps.saml', attributes: {} },
  { id: 'oidc', protocol: 'oidc', label: 'sso.idp.oidc', steps: 'sso.steps.oidc', attributes: {} },
  { id: 'ldap', protocol: 'ldap', label: 'sso.idp.ldap', steps: 'sso.steps.ldap', attributes: {} },
];

/** Whether the API already accepts connections of this protocol (else the choice says "coming"). */
export function protocolAvailable(protocol: WizardProtocol): protocol is SsoProtocol {
  return (SSO_PROTOCOLS as readonly string[]).includes(protocol);
}
