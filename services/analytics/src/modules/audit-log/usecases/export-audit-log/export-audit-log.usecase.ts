import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { originOfContext } from '@parley/bus';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { RequestContext } from '@parley/observability';
import { auditCsv } from '../../audit-csv';
import { AuditLogRepository } from '../../audit-log.repository';
import type { ExportAuditLogQuery } from './export-audit-log.query';

export interface AuditExport {
  contentType: string;
  fileName: string;
  body: string;
  rows: number;
}

/**
 * The filtered audit log as a CSV or JSON file, newest first, at most AUDIT_EXPORT_MAX_ROWS entries.
 * The export is itself an admin action: it is appended to the chain (`audit.exported`) first.
 */
@Injectable()
export class ExportAuditLogUseCase {
  private readonly maxRows: number;

  constructor(
    private readonly log: AuditLogRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxRows = config.analytics!.audit.exportMaxRows;
  }

  async execute(query: ExportAuditLogQuery): Promise<AuditExport> {
    const entries = await this.log.list(query.filters, this.maxRows);
    const { principal } = query;
    await this.log.append({
      auditId: randomUUID(),
      tenantId: principal.tenantId,
      actor: { kind: 'user', id: principal.userId },
      action: 'audit.exported',
      target: { type: 'audit-log', id: null },
      occurredAt: new Date().toISOString(),
      ...originOfContext(),
      requestId: RequestContext.current()?.requestId ?? null,
      details: { format: query.format, rows: entries.length },
    });
    const stamp = new Date().toISOString().slice(0, 10);
    return query.format === 'csv'
      ? {
          contentType: 'text/csv; charset=utf-8',
          fileName: `audit-log-${stamp}.csv`,
          body: auditCsv(entries),
          rows: entries.length,
        }
      : {
          contentType: 'application/json; charset=utf-8',
          fileName: `audit-log-${stamp}.json`,
          body: JSON.stringify({ entries }),
          rows: entries.length,
        };
  }
}
