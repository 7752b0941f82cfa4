import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { BusRequester, OutboxWriter } from '@parley/bus';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import {
  AuthSignedUpV1,
  DomainException,
  ErrorCode,
  TenantCreateV2,
  TenantGetDefaultV1,
  type MessageOf,
  type TenantCreatedV1,
} from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { SessionIssuer } from '../../../sessions/session-issuer';
import { AccountsRepository, emailTaken } from '../../accounts.repository';
import { openMemberSession, type SignedIn } from '../../member-session';
import { PasswordHasher } from '../../password-hasher';
import { SignupSagasRepository } from '../../signup-sagas.repository';
import type { SignUpCommand } from './sign-up.command';
import { SignUpCompensation } from './sign-up-compensation';

type Tenant = MessageOf<typeof TenantCreatedV1>;

/**
 * Sign-up. Cloud mode is a saga with its own id: the organisation becomes a tenant
 * (`tenant.create.v2` carrying the sign-up id, answered by the tenant service), then its first user
 * joins it as owner and a session opens, in one transaction. If anything fails once the command
 * is sent — no reply in time (504), Kafka unavailable (503), a refusal, or the owner's insert —
 * the sign-up is abandoned (`tenant.signup-abandoned.v1` via the outbox): the tenant service
 * removes the tenant that sign-up created, or will refuse to create it, and the slug is free for a
 * retry. Self-hosted mode: there is one tenant (`tenant.get-default.v1`); the first sign-up becomes
 * its owner (the organisation fields are ignored) and later sign-ups are refused with
 * `signup_closed` — people join by invitation.
 */
@Injectable()
export class SignUpUseCase {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionIssuer,
    private readonly bus: BusRequester,
    private readonly compensation: SignUpCompensation,
    private readonly sagas: SignupSagasRepository,
    private readonly outbox: OutboxWriter,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(command: SignUpCommand): Promise<SignedIn> {
    // Checked before the tenant exists, so a taken email creates nothing; the unique index decides races.
    if (await this.accounts.findUserByEmail(command.email)) throw emailTaken();
    const passwordHash = await this.passwords.hash(command.password);
    if (this.config.deploymentMode === 'self-hosted') {
      return this.joinAsOwner(command, passwordHash, await this.bus.request(TenantGetDefaultV1, {}), null);
    }
    const saga = { signupId: randomUUID(), slug: command.organizationSlug };
    // Logged before the command leaves: if this process dies before the saga ends, the sweep ends it.
    await this.sagas.begin(saga, 2 * this.config.bus.requestTimeoutMs);
    let tenant: Tenant;
    try {
      tenant = await this.bus.request(TenantCreateV2, {
        signupId: saga.signupId,
        name: command.organizationName,
        slug: command.organizationSlug,
        plan: 'free',
      });
    } catch (error) {
      // The command may have been handled although no answer came back: compensate in any case.
      await this.compensation.abandon(saga, SignUpCompensation.reasonOf(error, false));
      throw error;
    }
    try {
      return await this.joinAsOwner(command, passwordHash, tenant, saga.signupId);
    } catch (error) {
      this.logger.error(
        { err: error, ...saga, tenantId: tenant.tenantId },
        'Sign-up failed after its tenant was created',
      );
      await this.compensation.abandon({ ...saga, tenantId: tenant.tenantId }, 'owner_failed');
      throw error;
    }
  }

  private async joinAsOwner(
    command: SignUpCommand,
    passwordHash: string,
    tenant: Tenant,
    /** The cloud saga this completes; null in self-hosted mode (the default tenant, no saga). */
    signupId: string | null,
  ): Promise<SignedIn> {
    const user = { id: randomUUID(), email: command.email, name: command.name };
    const signedIn = await this.accounts.transaction(async (manager) => {
      if (signupId && !(await this.sagas.end(manager, signupId))) {
        throw new DomainException(
          ErrorCode.BusRequestTimeout,
          'The sign-up took too long and was abandoned: retry it',
          undefined,
          true,
        );
      }
      if (!signupId && (await this.accounts.lockAndCountMembers(manager, tenant.tenantId)) > 0) {
        throw new DomainException(
          ErrorCode.SignupClosed,
          'Sign-up is closed on this server: ask an owner for an invitation',
        );
      }
      await this.accounts.insertUser(manager, { ...user, passwordHash });
      await this.accounts.insertMembership(manager, user.id, tenant.tenantId, 'owner');
      await this.outbox.add(manager, AuthSignedUpV1, {
        tenantId: tenant.tenantId,
        userId: user.id,
        signedUpAt: new Date().toISOString(),
      });
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
  }
}
