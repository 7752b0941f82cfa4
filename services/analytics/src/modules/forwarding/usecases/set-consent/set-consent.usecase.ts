import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { originOfContext } from '@parley/bus';
import { type AnalyticsConsent, parseInput, putAnalyticsConsentBodySchema } from '@parley/contracts';
import { RequestContext } from '@parley/observability';
import type { AnalyticsPrincipal } from '../../../principal/analytics-principal';
import { assertMayReadAudit } from '../../../audit-log/audit-access';
import { AuditLogRepository } from '../../../audit-log/audit-log.repository';
import { ConsentRepository } from '../../consent.repository';
import { GetConsentUseCase } from '../get-consent/get-consent.usecase';

/** Owners and admins switch product analytics on or off for the tenant; the change is audited (`settings.changed`). */
@Injectable()
export class SetConsentUseCase {
  constructor(
    private readonly consent: ConsentRepository,
    private readonly audit: AuditLogRepository,
    private readonly current: GetConsentUseCase,
  ) {}

  async execute(principal: AnalyticsPrincipal, body: unknown): Promise<AnalyticsConsent> {
    assertMayReadAudit(principal);
    const { enabled } = parseInput(putAnalyticsConsentBodySchema, body, 'body');
    await this.consent.write(enabled, principal.userId);
    await this.audit.append({
      auditId: randomUUID(),
      tenantId: principal.tenantId,
      actor: { kind: 'user', id: principal.userId },
      action: 'settings.changed',
      target: { type: 'setting', id: 'analytics.consent' },
      occurredAt: new Date().toISOString(),
      ...originOfContext(),
      requestId: RequestContext.current()?.requestId ?? null,
      details: { enabled },
    });
    return this.current.execute(principal);
  }
}
