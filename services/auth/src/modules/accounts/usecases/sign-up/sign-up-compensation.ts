import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxRelay, OutboxWriter } from '@parley/bus';
import { DomainException, ErrorCode, TenantSignupAbandonedV1, type MessageOf } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { AccountsRepository } from '../../accounts.repository';
import { SignupSagasRepository, type SignupSaga } from '../../signup-sagas.repository';

export type AbandonReason = MessageOf<typeof TenantSignupAbandonedV1>['reason'];

/**
 * The sign-up saga's compensation: `tenant.signup-abandoned.v1`, written to the control outbox
 * (so a Kafka outage delays it, never loses it) in the transaction that ends the saga's row in
 * `auth.signup_sagas`, and published right after. The tenant service then removes whatever tenant
 * the sign-up created and refuses its command if it comes later. Never sent for a tenant that has
 * a member: auth owns memberships, and the tenant service acts on its word alone.
 */
@Injectable()
export class SignUpCompensation {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly sagas: SignupSagasRepository,
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
   * Ends a failed saga with its compensation. It runs on a failure path (the original error is what
   * the caller gets), so a failure here is logged, never thrown: the saga's row stays, and the
   * sweep abandons it once it expires.
   */
  async abandon(saga: SignupSaga & { tenantId?: string }, reason: AbandonReason): Promise<void> {
    try {
      const sent = await this.accounts.transaction(async (manager) => {
        if (!(await this.sagas.end(manager, saga.signupId))) return false; // the sweep ended it already
        // A commit reported failed may still have happened: a tenant with an owner is never given up.
        if (saga.tenantId && (await this.accounts.lockAndCountMembers(manager, saga.tenantId)) > 0) return false;
        await this.record(manager, saga, reason);
        return true;
      });
      if (sent) this.flush();
    } catch (error) {
      this.logger.error({ err: error, ...saga, reason }, 'Could not abandon the sign-up now; the sweep will');
    }
  }

  /** Writes the compensation inside the caller's transaction (which ends the saga's row). */
  async record(manager: EntityManager, saga: SignupSaga, reason: AbandonReason): Promise<void> {
    await this.outbox.add(manager, TenantSignupAbandonedV1, {
      signupId: saga.signupId,
      slug: saga.slug,
      reason,
      abandonedAt: new Date().toISOString(),
    });
    this.logger.warn({ ...saga, reason }, 'Sign-up abandoned: its tenant is compensated');
  }

  flush(): void {
    void this.relay
      .flush()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Outbox flush failed; the relay retries'));
  }
}
