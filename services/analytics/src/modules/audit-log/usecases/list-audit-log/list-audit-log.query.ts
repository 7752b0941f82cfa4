import { AUDIT_PAGE_DEFAULT, auditListQuerySchema, parseInput } from '@parley/contracts';
import type { AnalyticsPrincipal } from '../../../principal/analytics-principal';
import { assertMayReadAudit } from '../../audit-access';
import type { AuditFilters } from '../../audit-log.repository';

export class ListAuditLogQuery {
  private constructor(
    readonly filters: AuditFilters,
    readonly limit: number,
    readonly beforeSeq: number | undefined,
  ) {}

  static create(principal: AnalyticsPrincipal, input: unknown): ListAuditLogQuery {
    assertMayReadAudit(principal);
    const { limit, cursor, ...filters } = parseInput(auditListQuerySchema, input, 'query');
    return new ListAuditLogQuery(
      filters,
      limit ?? AUDIT_PAGE_DEFAULT,
      cursor === undefined ? undefined : Number(cursor),
    );
  }
}
