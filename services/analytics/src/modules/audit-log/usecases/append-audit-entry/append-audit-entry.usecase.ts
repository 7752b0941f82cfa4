import { Injectable } from '@nestjs/common';
import type { AuditActionRecordedV1, MessageOf } from '@parley/contracts';
import { tenantOfEvent } from '../../../event-store/tenant-of-event';
import { Forwarder } from '../../../forwarding/forwarder';
import { membershipProductEvent } from '../../../forwarding/product-event';
import { AuditLogRepository } from '../../audit-log.repository';

/**
 * Appends one `audit.action-recorded.v1` to its tenant's chain, once (by auditId). A new membership
 * change (member added, role changed, removed) is also offered to product analytics, which checks
 * the tenant's consent.
 */
@Injectable()
export class AppendAuditEntryUseCase {
  constructor(
    private readonly log: AuditLogRepository,
    private readonly forwarder: Forwarder,
  ) {}

  async execute(event: MessageOf<typeof AuditActionRecordedV1>): Promise<{ appended: boolean }> {
    tenantOfEvent(event.tenantId);
    const appended = await this.log.append(event);
    const product = appended ? membershipProductEvent(event) : null;
    if (product) await this.forwarder.offer(product);
    return { appended };
  }
}
