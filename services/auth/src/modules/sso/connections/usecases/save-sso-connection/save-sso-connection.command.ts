import { z } from 'zod';
import { samlConnectionInputSchema } from '@parley/contracts';
import { parseInput } from '../../../../../common/parse-input';
import { pathIdSchema } from '../../../../../common/path-id';
import type { VerifiedAccess } from '../../../../access-tokens/access-token.claims';
import { TenantCommand } from '../../../../authorization/tenant-command';
import { parseIdpCertificate } from '../../idp-certificate';
import { parseIdpMetadata } from '../../idp-metadata';
import type { SsoConnectionFields } from '../../sso-connections.repository';

const idSchema = z.object({ id: pathIdSchema });

/**
 * Create (no id) or replace (id) a connection. The IdP comes from uploaded metadata or by hand;
 * either way each certificate is parsed and stored as PEM, so a bad one is a 400 here.
 */
export class SaveSsoConnectionCommand extends TenantCommand {
  private constructor(
    access: VerifiedAccess,
    readonly connectionId: string | null,
    readonly fields: SsoConnectionFields,
  ) {
    super(access);
  }

  static create(access: VerifiedAccess, body: unknown, id?: string): SaveSsoConnectionCommand {
    const connectionId = id === undefined ? null : parseInput(idSchema, { id }, 'connection id').id;
    const input = parseInput(samlConnectionInputSchema, body, 'SSO connection');
    const idp = input.idp ?? parseIdpMetadata(input.idpMetadataXml ?? '');
    const certificates = idp.certificates.map((c, i) => parseIdpCertificate(c, i).pem);
    return new SaveSsoConnectionCommand(access, connectionId, {
      protocol: input.protocol,
      name: input.name,
      enabled: input.enabled,
      idp: { entityId: idp.entityId, ssoUrl: idp.ssoUrl, certificates: [...new Set(certificates)] },
      attributeMapping: input.attributeMapping,
      defaultRole: input.defaultRole,
      groupRoles: input.groupRoles,
    });
  }
}
