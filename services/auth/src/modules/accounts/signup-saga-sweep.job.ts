import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { AccountsRepository } from './accounts.repository';
import { SignupSagasRepository } from './signup-sagas.repository';
import { SignUpCompensation } from './usecases/sign-up/sign-up-compensation';

/** How often each replica looks for expired sign-up sagas, and how many it takes per pass. */
export const SIGNUP_SWEEP_INTERVAL_MS = 5_000;
export const SIGNUP_SWEEP_BATCH = 100;

/**
 * Abandons the sign-up sagas nobody finished: a row of `auth.signup_sagas` past its `expires_at`
 * (twice the bus request timeout after it began) belongs to a sign-up whose auth process died
 * between its command and its end, or whose compensation could not be written then (Postgres
 * down). Each is deleted and compensated in one transaction (`saga_expired`); replicas skip the
 * rows another one holds. A sign-up still finishing finds its row gone and fails instead of
 * completing, so a tenant is never both given an owner and removed.
 */
@Injectable()
export class SignupSagaSweepJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly accounts: AccountsRepository,
    private readonly sagas: SignupSagasRepository,
    private readonly compensation: SignUpCompensation,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.deploymentMode === 'self-hosted') return; // no sign-up saga there
    const tick = () => {
      if (this.stopped) return;
      this.running = this.sweep()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Sign-up saga sweep failed; will retry'))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.timer = setTimeout(tick, SIGNUP_SWEEP_INTERVAL_MS);
        });
    };
    this.timer = setTimeout(tick, SIGNUP_SWEEP_INTERVAL_MS);
  }

  /** One pass; returns how many sagas it abandoned. */
  async sweep(): Promise<number> {
    const taken = await this.accounts.transaction(async (manager) => {
      const expired = await this.sagas.takeExpired(manager, SIGNUP_SWEEP_BATCH);
      for (const saga of expired) await this.compensation.record(manager, saga, 'saga_expired');
      return expired.length;
    });
    if (taken > 0) this.compensation.flush();
    return taken;
  }

  /** Before the pool closes: no new pass, and the one under way finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
