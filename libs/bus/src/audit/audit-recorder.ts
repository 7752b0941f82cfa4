import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditActionRecordedV1, type AuditAction, type AuditActorKind } from '@parley/contracts';
import { RequestContext } from '@parley/observability';
import { OutboxWriter, type OutboxTransaction } from '../outbox/outbox-writer';

/** Who acted: a person, an API key, or the platform itself (a job, a provider's webhook). */
export interface AuditActor {
  kind: AuditActorKind;
  id: string | null;
}

/** Where the request that caused an action came from. */
export interface AuditOrigin {
  ip: string | null;
  userAgent: string | null;
}

export interface AuditFact {
  tenantId: string;
  actor: AuditActor;
  action: AuditAction;
  target: { type: string; id: string | null };
  /** Small facts (old and new value, a name, a kind): never secrets, never message text. */
  details?: Record<string, string | number | boolean | null>;
}

/** The actor of a verified principal: its user, else its API key, else the platform. */
export function auditActorOf(principal: { userId: string | null; apiKeyId: string | null }): AuditActor {
  if (principal.userId) return { kind: 'user', id: principal.userId };
  if (principal.apiKeyId) return { kind: 'api-key', id: principal.apiKeyId };
  return { kind: 'system', id: null };
}

/** The origin the request context holds (a principal guard put the gateway's view there); nulls outside a request. */
export function originOfContext(): AuditOrigin {
  const context = RequestContext.current();
  return { ip: context?.clientIp ?? null, userAgent: context?.userAgent ?? null };
}

/**
 * Admin actions for the tenant's audit log: `audit.action-recorded.v1` written to the outbox in the
 * action's own transaction (published if and only if the action committed), with the request's id,
 * client address and user agent. The analytics service appends it to the tenant's hash chain.
 */
@Injectable()
export class AuditRecorder {
  constructor(private readonly outbox: OutboxWriter) {}

  async record(tx: OutboxTransaction, fact: AuditFact, origin: AuditOrigin = originOfContext()): Promise<void> {
    await this.outbox.add(tx, AuditActionRecordedV1, {
      auditId: randomUUID(),
      tenantId: fact.tenantId,
      actor: fact.actor,
      action: fact.action,
      target: fact.target,
      occurredAt: new Date().toISOString(),
      ip: origin.ip?.slice(0, 64) || null,
      userAgent: origin.userAgent?.slice(0, 512) || null,
      requestId: RequestContext.current()?.requestId ?? null,
      details: fact.details ?? {},
    });
  }
}
