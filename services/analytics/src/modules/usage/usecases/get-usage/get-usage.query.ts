import { parseInput, usageQuerySchema, type UsageGroupBy } from '@parley/contracts';
import { isTenantAdmin, type AnalyticsPrincipal } from '../../../principal/analytics-principal';
import { usageRange, type UsageRange } from '../../usage-range';
import type { UsageSubject } from '../../usage.repository';

/** A validated usage request: the range, the grouping, and whose usage (the tenant for admins, else one's own). */
export class GetUsageQuery {
  private constructor(
    readonly tenantId: string,
    readonly range: UsageRange,
    readonly groupBy: UsageGroupBy,
    readonly subject: UsageSubject,
  ) {}

  static create(principal: AnalyticsPrincipal, input: unknown, now: Date = new Date()): GetUsageQuery {
    const query = parseInput(usageQuerySchema, input, 'query');
    return new GetUsageQuery(
      principal.tenantId,
      usageRange(query.from, query.to, now),
      query.groupBy ?? 'day',
      subjectOf(principal),
    );
  }
}

function subjectOf(principal: AnalyticsPrincipal): UsageSubject {
  if (isTenantAdmin(principal)) return { kind: 'tenant' };
  if (principal.kind === 'api-key' && principal.apiKeyId) return { kind: 'api-key', apiKeyId: principal.apiKeyId };
  if (principal.kind === 'user' && principal.userId) return { kind: 'user', userId: principal.userId };
  return { kind: 'anonymous' };
}
