import { Injectable } from '@nestjs/common';
import type { AuditPage } from '@parley/contracts';
import { AuditLogRepository } from '../../audit-log.repository';
import type { ListAuditLogQuery } from './list-audit-log.query';

/** A page of the tenant's audit log, newest first, with the cursor of the next (older) page. */
@Injectable()
export class ListAuditLogUseCase {
  constructor(private readonly log: AuditLogRepository) {}

  async execute(query: ListAuditLogQuery): Promise<AuditPage> {
    const entries = await this.log.list(query.filters, query.limit + 1, query.beforeSeq);
    const page = entries.slice(0, query.limit);
    const last = page.at(-1);
    return { entries: page, nextCursor: entries.length > query.limit && last ? String(last.seq) : null };
  }
}
