import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type PlanId } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { PlansRepository } from '../../plans.repository';

/**
 * At start (after the migrations): the plan limits read from configuration into `control.plans`,
 * so other services read one source. Idempotent; replicas with the same configuration write nothing.
 */
@Injectable()
export class SyncPlansUseCase {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly plans: PlansRepository,
  ) {}

  async execute(): Promise<PlanId[]> {
    if (!this.config.plans) return [];
    const changed = await this.plans.upsert(this.config.plans);
    if (changed.length) this.logger.info({ plans: changed }, 'Plan limits updated from configuration');
    return changed;
  }
}
