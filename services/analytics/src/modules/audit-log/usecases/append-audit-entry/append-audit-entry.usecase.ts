import { Injectable } from '@nestjs/common';
import type { AuditActionRecordedV1, MessageOf } from '@parley/contracts';
import { tenantOfEvent } from '../../../event-store/tenant-of-event';
import { AuditLogRepository } from '../../audit-log.repository';

/** Appends one `audit.action-recorded.v1` to its tenant's chain, once (by auditId). */
@Injectable()
export class AppendAuditEntryUseCase {
  constructor(private readonly log: AuditLogRepository) {}

  async execute(event: MessageOf<typeof AuditActionRecordedV1>): Promise<{ appended: boolean }> {
    tenantOfEvent(event.tenantId);
    return { appended: await this.log.append(event) };
  }
}
