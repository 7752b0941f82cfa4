import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode, slugSchema } from '@parley/contracts';
import { authSettings } from '../../../auth-settings';
import { SsoConnectionsRepository, type SamlConnection } from '../connections/sso-connections.repository';
import { serviceProviderOf, type ServiceProviderValues } from '../service-provider';

export interface ResolvedSamlConnection {
  connection: SamlConnection;
  sp: ServiceProviderValues;
}

function notConfigured(): DomainException {
  return new DomainException(ErrorCode.SsoNotConfigured, 'This organisation has no SAML single sign-on');
}

/**
 * The tenant a public SAML route names by slug, and its SAML connection with our SP values. An
 * unknown or malformed slug and a tenant without a connection are the same 404 `sso_not_configured`;
 * a suspended tenant is 403 `tenant_suspended`.
 */
@Injectable()
export class SamlConnectionResolver {
  private readonly publicUrl: string;

  constructor(
    private readonly connections: SsoConnectionsRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.publicUrl = authSettings(config).publicUrl;
  }

  async resolve(tenantSlug: string): Promise<ResolvedSamlConnection> {
    const slug = slugSchema.safeParse(tenantSlug);
    if (!slug.success) throw notConfigured();
    const tenant = await this.connections.tenantBySlug(slug.data);
    if (!tenant) throw notConfigured();
    if (tenant.status === 'suspended')
      throw new DomainException(ErrorCode.TenantSuspended, 'This organisation is suspended');
    if (tenant.status !== 'active') throw notConfigured();
    const connection = await this.connections.findByProtocol(tenant.id, 'saml');
    if (!connection) throw notConfigured();
    return { connection, sp: serviceProviderOf(this.publicUrl, tenant.slug) };
  }
}
