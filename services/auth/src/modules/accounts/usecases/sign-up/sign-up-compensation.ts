import { Inject, Injectable } from '@nestjs/common';
import { OutboxRelay, OutboxWriter } from '@parley/bus';
import { DomainException, ErrorCode, TenantSignupAbandonedV1, type MessageOf } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { AccountsRepository } from '../../accounts.repository';

type AbandonReason = MessageOf<typeof TenantSignupAbandonedV1>['reason'];

/**
 * The sign-up saga's compensation: `tenant.signup-abandoned.v1`, written to the control outbox
 * (so a Kafka outage delays it, never loses it) and published right after. The tenant service then
 * removes whatever tenant the sign-up created and refuses its command if it comes later. Never
 * sent for a tenant that has a member: auth owns memberships, and the tenant service acts on its
 * word alone.
 */
@Injectable()
export class SignUpCompensation {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Why the saga failed, from the error that failed it. */
  static reasonOf(error: unknown, ownerStep: boolean): AbandonReason {
    if (ownerStep) return 'owner_failed';
    if (error instanceof DomainException) {
      if (error.code === ErrorCode.BusRequestTimeout) return 'reply_timeout';
      if (error.code === ErrorCode.ServiceUnavailable || error.code === ErrorCode.BusUnavailable) {
        return 'bus_unavailable';
      }
    }
    return 'tenant_refused';
  }

  /**
   * Records the abandonment. Best effort by nature (it runs on a failure path: the original error is
   * what the caller gets), so a failure here is logged with the sign-up id, never thrown.
   */
  async abandon(signup: { signupId: string; slug: string; tenantId?: string }, reason: AbandonReason): Promise<void> {
    try {
      const sent = await this.accounts.transaction(async (manager) => {
        // A commit reported failed may still have happened: a tenant with an owner is never given up.
        if (signup.tenantId && (await this.accounts.lockAndCountMembers(manager, signup.tenantId)) > 0) return false;
        await this.outbox.add(manager, TenantSignupAbandonedV1, {
          signupId: signup.signupId,
          slug: signup.slug,
          reason,
          abandonedAt: new Date().toISOString(),
        });
        return true;
      });
      if (!sent) return;
      this.logger.warn({ ...signup, reason }, 'Sign-up abandoned: its tenant is compensated');
      void this.relay
        .flush()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Outbox flush failed; the relay retries'));
    } catch (error) {
      this.logger.error({ err: error, ...signup, reason }, 'Could not record the sign-up abandonment');
    }
  }
}
