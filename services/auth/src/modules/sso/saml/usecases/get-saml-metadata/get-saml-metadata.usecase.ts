import { Injectable } from '@nestjs/common';
import { SamlConnectionResolver } from '../../saml-connection-resolver';
import { samlFor } from '../../saml-service-provider';
import { SamlAssertionLedger } from '../../saml-stores';

/** Our SP metadata for a tenant with a SAML connection (enabled or not: the IdP is set up first). */
@Injectable()
export class GetSamlMetadataUseCase {
  constructor(
    private readonly resolver: SamlConnectionResolver,
    private readonly ledger: SamlAssertionLedger,
  ) {}

  async execute(tenantSlug: string): Promise<string> {
    const { connection, sp } = await this.resolver.resolve(tenantSlug);
    const saml = samlFor(connection, sp, this.ledger.requestCache(connection.tenantId));
    return saml.generateServiceProviderMetadata(null, null);
  }
}
