import { auditExportQuerySchema, parseInput } from '@parley/contracts';
import type { AnalyticsPrincipal } from '../../../principal/analytics-principal';
import { assertMayReadAudit } from '../../audit-access';
import type { AuditFilters } from '../../audit-log.repository';

export class ExportAuditLogQuery {
  private constructor(
    readonly principal: AnalyticsPrincipal,
    readonly filters: AuditFilters,
    readonly format: 'csv' | 'json',
  ) {}

  static create(principal: AnalyticsPrincipal, input: unknown): ExportAuditLogQuery {
    assertMayReadAudit(principal);
    const { format, ...filters } = parseInput(auditExportQuerySchema, input, 'query');
    return new ExportAuditLogQuery(principal, filters, format);
  }
}
