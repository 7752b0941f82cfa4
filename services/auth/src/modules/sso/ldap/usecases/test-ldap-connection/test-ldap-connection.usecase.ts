import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, ldapTestBodySchema, type LdapTestResult } from '@parley/contracts';
import { parseInput } from '../../../../../common/parse-input';
import { ActorResolver } from '../../../../authorization/actor-resolver';
import { assertPermitted } from '../../../../authorization/permissions';
import type { SsoConnectionCommand } from '../../../connections/sso-connection.command';
import { SsoConnectionsRepository } from '../../../connections/sso-connections.repository';
import { SsoSecrets } from '../../../connections/sso-secrets';
import { LdapDirectory } from '../../ldap-directory';
import { ldapSettingsOf } from '../../ldap-settings-of';

export type { LdapTestResult };

/**
 * The console's Test connection for an LDAP connection (owners and admins; another tenant's
 * connection is 404, a connection of another protocol 400): connect, TLS, service bind, the user
 * base, and with a probe login a real sign-in of that person (nobody is provisioned).
 */
@Injectable()
export class TestLdapConnectionUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly connections: SsoConnectionsRepository,
    private readonly directory: LdapDirectory,
    private readonly secrets: SsoSecrets,
  ) {}

  async execute(command: SsoConnectionCommand, body: unknown): Promise<LdapTestResult> {
    assertPermitted((await this.actors.resolve(command)).role, 'sso.manage');
    const input = parseInput(ldapTestBodySchema, body ?? {}, 'LDAP connection test');
    const connection = await this.connections.find(command.tenantId, command.connectionId ?? '');
    if (!connection) throw new DomainException(ErrorCode.NotFound, 'SSO connection not found');
    if (connection.protocol !== 'ldap') {
      throw new DomainException(ErrorCode.ValidationFailed, 'Only LDAP connections are tested here', {
        issues: ['protocol: SAML and OIDC connections are tested with a test login (login?test=1)'],
      });
    }
    return this.directory.test(ldapSettingsOf(connection, this.secrets), input.probe);
  }
}
