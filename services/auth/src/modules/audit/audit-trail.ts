import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxWriter } from '@parley/bus';
import { AuditActionRecordedV1, type AuditAction } from '@parley/contracts';
import { RequestContext } from '@parley/observability';
import { currentOrigin } from './request-origin';

export interface AuditFact {
  tenantId: string;
  /** The user who acted (null: the platform itself). */
  actorUserId: string | null;
  action: AuditAction;
  target: { type: string; id: string | null };
  /** Small facts (old and new role, a key's name): never secrets. */
  details?: Record<string, string | number | boolean | null>;
}

/**
 * Admin actions for the tenant's audit log: `audit.action-recorded.v1` written to the outbox in the
 * action's own transaction (so it is published if and only if the action committed), with the
 * request's id, client address and user agent.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly outbox: OutboxWriter) {}

  async record(manager: EntityManager, fact: AuditFact): Promise<void> {
    const origin = currentOrigin();
    await this.outbox.add(manager, AuditActionRecordedV1, {
      auditId: randomUUID(),
      tenantId: fact.tenantId,
      actor: fact.actorUserId ? { kind: 'user', id: fact.actorUserId } : { kind: 'system', id: null },
      action: fact.action,
      target: fact.target,
      occurredAt: new Date().toISOString(),
      ip: origin.ip,
      userAgent: origin.userAgent,
      requestId: RequestContext.current()?.requestId ?? null,
      details: fact.details ?? {},
    });
  }
}
