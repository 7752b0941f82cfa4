import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { AuditLogRepository } from '../../audit-log.repository';

const DAY_MS = 86_400_000;

/** Retention for the context tenant: removes entries older than AUDIT_RETENTION_DAYS (the chain's head). */
@Injectable()
export class PruneAuditLogUseCase {
  private readonly retentionDays: number;

  constructor(
    private readonly log: AuditLogRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.retentionDays = config.analytics!.audit.retentionDays;
  }

  execute(now: Date = new Date()): Promise<number> {
    return this.log.prune(new Date(now.getTime() - this.retentionDays * DAY_MS));
  }
}
