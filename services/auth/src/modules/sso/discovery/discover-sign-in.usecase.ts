import { Injectable } from '@nestjs/common';
import { discoverSignInBodySchema, type SignInDiscovery } from '@parley/contracts';
import { parseInput } from '../../../common/parse-input';
import { domainOfEmail } from '../../domains/domain-name';
import { DomainsRepository } from '../../domains/domains.repository';
import { SsoPolicyRepository } from '../enforcement/sso-policy.repository';

/**
 * Home-realm discovery: the sign-in page asks with the email first. A domain verified by an
 * organisation with an enabled connection sends the person to that organisation's IdP (or its LDAP
 * form); everything else signs in with a password. It reveals only what a verified domain is for:
 * which organisation's sign-in it leads to, never whether the email has an account.
 */
@Injectable()
export class DiscoverSignInUseCase {
  constructor(
    private readonly domains: DomainsRepository,
    private readonly policies: SsoPolicyRepository,
  ) {}

  async execute(body: unknown): Promise<SignInDiscovery> {
    const { email } = parseInput(discoverSignInBodySchema, body, 'email');
    const domain = domainOfEmail(email.trim().toLowerCase());
    const tenantId = domain ? await this.domains.holderOf(domain) : null;
    const connection = tenantId ? await this.policies.enabledConnection(tenantId) : null;
    if (!tenantId || !connection) return { method: 'password' };
    const policy = await this.policies.get(tenantId);
    return {
      method: 'sso',
      protocol: connection.protocol,
      tenantSlug: connection.tenantSlug,
      tenantName: connection.tenantName,
      loginUrl: connection.loginPath,
      // Whether this organisation still takes passwords at all (its break-glass owners may, by name).
      passwordAllowed: !policy.ssoRequired,
    };
  }
}
