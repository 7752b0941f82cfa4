import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { BusRequester } from '@parley/bus';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode, TenantCreateV1, TenantGetDefaultV1 } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { SessionIssuer } from '../../../sessions/session-issuer';
import { AccountsRepository, emailTaken } from '../../accounts.repository';
import { openMemberSession, type SignedIn } from '../../member-session';
import { PasswordHasher } from '../../password-hasher';
import type { SignUpCommand } from './sign-up.command';

/**
 * Sign-up. Cloud mode: the organisation becomes a tenant (tenant.create.v1, answered by the tenant
 * service), then its first user joins it as owner and a session opens, in one transaction.
 * Self-hosted mode: there is one tenant (tenant.get-default.v1); the first sign-up becomes its owner
 * (the organisation fields are ignored) and later sign-ups are refused with `signup_closed` —
 * people join by invitation.
 */
@Injectable()
export class SignUpUseCase {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionIssuer,
    private readonly bus: BusRequester,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(command: SignUpCommand): Promise<SignedIn> {
    // Checked before the tenant exists, so a taken email creates nothing; the unique index decides races.
    if (await this.accounts.findUserByEmail(command.email)) throw emailTaken();
    const passwordHash = await this.passwords.hash(command.password);
    const selfHosted = this.config.deploymentMode === 'self-hosted';
    const tenant = selfHosted
      ? await this.bus.request(TenantGetDefaultV1, {})
      : await this.bus.request(TenantCreateV1, {
          name: command.organizationName,
          slug: command.organizationSlug,
          plan: 'free',
        });
    const user = { id: randomUUID(), email: command.email, name: command.name };
    try {
      const signedIn = await this.accounts.transaction(async (manager) => {
        if (selfHosted && (await this.accounts.lockAndCountMembers(manager, tenant.tenantId)) > 0) {
          throw new DomainException(
            ErrorCode.SignupClosed,
            'Sign-up is closed on this server: ask an owner for an invitation',
          );
        }
        await this.accounts.insertUser(manager, { ...user, passwordHash });
        await this.accounts.insertMembership(manager, user.id, tenant.tenantId, 'owner');
        return openMemberSession(this.sessions, manager, user, {
          tenantId: tenant.tenantId,
          role: 'owner',
          slug: tenant.slug,
          name: tenant.name,
          plan: tenant.plan,
        });
      });
      this.logger.info({ tenantId: tenant.tenantId, userId: user.id }, 'Signed up');
      return signedIn;
    } catch (error) {
      if (error instanceof DomainException && error.code === ErrorCode.SignupClosed) throw error;
      // Known gap: in cloud mode the tenant stays, without an owner (the tenant service can delete it).
      this.logger.error({ err: error, tenantId: tenant.tenantId }, 'Sign-up failed after its tenant was created');
      throw error;
    }
  }
}
