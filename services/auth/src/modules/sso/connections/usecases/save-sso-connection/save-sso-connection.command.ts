import { z } from 'zod';
import { samlConnectionInputSchema, type SamlIdpSettings } from '@parley/contracts';
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

/**
 * Create (no id) or replace (id) a connection. The IdP comes by hand or from uploaded metadata
 * (read here), or from a metadata URL (`metadataUrl`: the use case fetches it through the egress
 * policy); every certificate is parsed and stored as PEM.
 */
export class SaveSsoConnectionCommand extends TenantCommand {
  private constructor(
    access: VerifiedAccess,
    readonly connectionId: string | null,
    readonly fields: Omit<SsoConnectionFields, 'idp'>,
    readonly idp: SamlIdpSettings | null,
    readonly metadataUrl: string | null,
  ) {
    super(access);
  }

  static create(access: VerifiedAccess, body: unknown, id?: string): SaveSsoConnectionCommand {
    const connectionId = id === undefined ? null : parseInput(idSchema, { id }, 'connection id').id;
    const input = parseInput(samlConnectionInputSchema, body, 'SSO connection');
    let idp: SamlIdpSettings | null = null;
    if (input.idp) idp = normalisedIdp(input.idp);
    else if (input.idpMetadataXml !== undefined) idp = idpFromMetadata(input.idpMetadataXml);
    return new SaveSsoConnectionCommand(
      access,
      connectionId,
      {
        protocol: input.protocol,
        name: input.name,
        enabled: input.enabled,
        attributeMapping: input.attributeMapping,
        defaultRole: input.defaultRole,
        groupRoles: input.groupRoles,
      },
      idp,
      input.idpMetadataUrl ?? null,
    );
  }
}
