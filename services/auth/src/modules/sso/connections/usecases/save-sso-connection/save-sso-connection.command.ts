import { z } from 'zod';
import {
  OIDC_PRESETS,
  ssoConnectionInputSchema,
  type LdapSettingsView,
  type OidcSettingsView,
  type SamlIdpSettings,
  type SsoConnectionInput,
} from '@parley/contracts';
import { parseInput } from '../../../../../common/parse-input';
import { pathIdSchema } from '../../../../../common/path-id';
import type { VerifiedAccess } from '../../../../access-tokens/access-token.claims';
import { TenantCommand } from '../../../../authorization/tenant-command';
import { parseIdpCertificate } from '../../idp-certificate';
import { parseIdpMetadata } from '../../idp-metadata';
import type { SsoConnectionFields } from '../../sso-connections.repository';

const idSchema = z.object({ id: pathIdSchema });

/** The IdP's settings with every certificate parsed and stored as PEM (a bad one is a 400). */
export function normalisedIdp(idp: SamlIdpSettings): SamlIdpSettings {
  const certificates = idp.certificates.map((c, i) => parseIdpCertificate(c, i).pem);
  return { ...idp, certificates: [...new Set(certificates)] };
}

/** Settings from a metadata document (uploaded, or fetched from `metadataUrl`). */
export function idpFromMetadata(xml: string, metadataUrl?: string): SamlIdpSettings {
  const idp = normalisedIdp(parseIdpMetadata(xml));
  return metadataUrl ? { ...idp, metadataUrl, metadataFetchedAt: new Date().toISOString() } : idp;
}

/** What the input says of the IdP, per protocol (secrets in clear until the use case seals them). */
export type ConnectionDraft =
  | {
      protocol: 'saml';
      idp: SamlIdpSettings | null;
      metadataUrl: string | null;
      allowIdpInitiated: boolean;
      singleLogout: boolean;
      signAuthnRequests: boolean;
    }
  | { protocol: 'oidc'; idp: Omit<OidcSettingsView, 'clientSecretHint'>; secret: string | null }
  | { protocol: 'ldap'; idp: Omit<LdapSettingsView, 'bindPasswordHint'>; secret: string | null };

export type CommonFields = Pick<
  SsoConnectionFields,
  'name' | 'enabled' | 'attributeMapping' | 'defaultRole' | 'groupRoles'
>;

function draftOf(input: SsoConnectionInput): ConnectionDraft {
  switch (input.protocol) {
    case 'saml': {
      let idp: SamlIdpSettings | null = null;
      if (input.idp) idp = normalisedIdp(input.idp);
      else if (input.idpMetadataXml !== undefined) idp = idpFromMetadata(input.idpMetadataXml);
      return {
        protocol: 'saml',
        idp,
        metadataUrl: input.idpMetadataUrl ?? null,
        allowIdpInitiated: input.allowIdpInitiated,
        singleLogout: input.singleLogout,
        signAuthnRequests: input.signAuthnRequests,
      };
    }
    case 'oidc': {
      const { clientSecret, groupsClaim, ...settings } = input.oidc;
      const idp = { ...settings, groupsClaim: groupsClaim ?? OIDC_PRESETS[settings.preset].groupsClaim };
      return { protocol: 'oidc', idp, secret: clientSecret ?? null };
    }
    case 'ldap': {
      const { bindPassword, ...settings } = input.ldap;
      return { protocol: 'ldap', idp: settings, secret: bindPassword ?? null };
    }
  }
}

/**
 * Create (no id) or replace (id) a connection of any protocol. SAML: the IdP by hand or from
 * uploaded metadata (read here), or from a metadata URL (the use case fetches it through the egress
 * policy); every certificate is parsed and stored as PEM. OIDC and LDAP: their settings, and their
 * secret (absent on a replacement: the stored one is kept).
 */
export class SaveSsoConnectionCommand extends TenantCommand {
  private constructor(
    access: VerifiedAccess,
    readonly connectionId: string | null,
    readonly fields: CommonFields,
    readonly draft: ConnectionDraft,
  ) {
    super(access);
  }

  static create(access: VerifiedAccess, body: unknown, id?: string): SaveSsoConnectionCommand {
    const connectionId = id === undefined ? null : parseInput(idSchema, { id }, 'connection id').id;
    const input = parseInput(ssoConnectionInputSchema, body, 'SSO connection');
    return new SaveSsoConnectionCommand(
      access,
      connectionId,
      {
        name: input.name,
        enabled: input.enabled,
        attributeMapping: input.protocol === 'ldap' ? {} : input.attributeMapping,
        defaultRole: input.defaultRole,
        groupRoles: input.groupRoles,
      },
      draftOf(input),
    );
  }
}
