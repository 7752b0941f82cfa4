import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { authSettings } from '../../../auth-settings';
import { SsoConnectionResolver } from '../connections/sso-connection-resolver';
import type { SamlConnection } from '../connections/sso-connections.repository';
import { serviceProviderOf, type ServiceProviderValues } from '../service-provider';

export interface ResolvedSamlConnection {
  connection: SamlConnection;
  sp: ServiceProviderValues;
}

/**
 * The tenant a public SAML route names by slug, and its SAML connection with our SP values (an
 * unknown slug or no connection: 404 `sso_not_configured`; a suspended tenant: 403, as
 * SsoConnectionResolver answers).
 */
@Injectable()
export class SamlConnectionResolver {
  private readonly publicUrl: string;

  constructor(
    private readonly resolver: SsoConnectionResolver,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.publicUrl = authSettings(config).publicUrl;
  }

  async resolve(tenantSlug: string): Promise<ResolvedSamlConnection> {
    const { connection, tenantSlug: slug } = await this.resolver.resolve(tenantSlug, 'saml');
    return { connection, sp: serviceProviderOf(this.publicUrl, slug) };
  }
}
