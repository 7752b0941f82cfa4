import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, slugSchema, type SsoProtocol } from '@parley/contracts';
import { SsoConnectionsRepository, type SsoConnection } from './sso-connections.repository';

/**
 * The tenant a public SSO route names by slug, and its connection of one protocol. An unknown or
 * malformed slug and a tenant without such a connection are the same 404 `sso_not_configured`; a
 * suspended tenant is 403 `tenant_suspended`.
 */
@Injectable()
export class SsoConnectionResolver {
  constructor(private readonly connections: SsoConnectionsRepository) {}

  async resolve<P extends SsoProtocol>(
    tenantSlug: string,
    protocol: P,
  ): Promise<{ connection: Extract<SsoConnection, { protocol: P }>; tenantSlug: string }> {
    const notConfigured = new DomainException(
      ErrorCode.SsoNotConfigured,
      `This organisation has no ${protocol.toUpperCase()} single sign-on`,
    );
    const slug = slugSchema.safeParse(tenantSlug);
    if (!slug.success) throw notConfigured;
    const tenant = await this.connections.tenantBySlug(slug.data);
    if (!tenant) throw notConfigured;
    if (tenant.status === 'suspended') {
      throw new DomainException(ErrorCode.TenantSuspended, 'This organisation is suspended');
    }
    if (tenant.status !== 'active') throw notConfigured;
    const connection = await this.connections.findByProtocol(tenant.id, protocol);
    if (!connection) throw notConfigured;
    return { connection, tenantSlug: tenant.slug };
  }
}
