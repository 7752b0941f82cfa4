import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, ldapSignInBodySchema } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { parseInput } from '../../../../../common/parse-input';
import { isPlausibleEmail, normaliseEmail } from '../../../../accounts/email';
import type { SignedIn } from '../../../../accounts/member-session';
import { SsoConnectionResolver } from '../../../connections/sso-connection-resolver';
import { SsoConnectionsRepository } from '../../../connections/sso-connections.repository';
import { SsoSecrets } from '../../../connections/sso-secrets';
import { JitProvisioner } from '../../../jit-provisioner';
import { LoginTrace, SsoRejection } from '../../../login-trace';
import { LdapDirectory } from '../../ldap-directory';
import { ldapSettingsOf } from '../../ldap-settings-of';

export interface LdapSignInCommand {
  tenantSlug: string;
  body: unknown;
}

/**
 * Sign-in with the tenant's directory: the person is found and bound by LdapDirectory (a wrong
 * login or password is 401 `invalid_credentials`, an unreachable directory 503), then provisioned
 * just in time with the role their groups map to (the member limit holds: 409) and given a session
 * as sign-in gives one. A disabled connection is 404 `sso_not_configured`. A successful sign-in and
 * one refused for want of an email leave a login trace; a wrong password does not.
 */
@Injectable()
export class LdapSignInUseCase {
  constructor(
    private readonly resolver: SsoConnectionResolver,
    private readonly directory: LdapDirectory,
    private readonly secrets: SsoSecrets,
    private readonly connections: SsoConnectionsRepository,
    private readonly provisioner: JitProvisioner,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: LdapSignInCommand): Promise<SignedIn> {
    const body = parseInput(ldapSignInBodySchema, command.body, 'LDAP sign-in');
    const { connection } = await this.resolver.resolve(command.tenantSlug, 'ldap');
    if (!connection.enabled) {
      throw new DomainException(ErrorCode.SsoNotConfigured, 'LDAP sign-in is not enabled for this organisation');
    }
    const identity = await this.directory.authenticate(
      ldapSettingsOf(connection, this.secrets),
      body.login,
      body.password,
    );
    const trace = new LoginTrace();
    trace.nameId = identity.dn;
    trace.attributes = { email: [identity.email], name: [identity.name], groups: identity.groups.slice(0, 100) };
    trace.pass('directory bind', identity.dn);
    const email = normaliseEmail(identity.email);
    if (!isPlausibleEmail(email)) {
      const rejection = new SsoRejection('email_missing', `No email in ${connection.idp.emailAttribute}`);
      trace.note('email', rejection.message);
      await this.connections.addTrace(connection.tenantId, trace.record(connection.id, rejection));
      throw trace.exception(rejection);
    }
    trace.pass('email', email);
    const { provisioned, ...signedIn } = await this.provisioner.signIn(connection, {
      email,
      name: identity.name || email,
      groups: identity.groups,
    });
    trace.userId = signedIn.user.id;
    trace.pass('member', provisioned ? 'provisioned just in time' : 'existing member');
    await this.connections.addTrace(connection.tenantId, trace.record(connection.id, null));
    this.logger.info({ tenantId: connection.tenantId, userId: signedIn.user.id, traceId: trace.id }, 'LDAP sign-in');
    return signedIn;
  }
}
