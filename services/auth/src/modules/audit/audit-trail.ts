import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditRecorder } from '@parley/bus';
import type { AuditAction } from '@parley/contracts';
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
 * Auth's admin actions for the tenant's audit log, through the shared AuditRecorder (an outbox row
 * in the action's own transaction), with the address and user agent of the request as auth sees it
 * (`req.ip` behind the gateway's X-Forwarded-For, the user agent it forwards).
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly recorder: AuditRecorder) {}

  async record(manager: EntityManager, fact: AuditFact): Promise<void> {
    await this.recorder.record(
      manager,
      {
        tenantId: fact.tenantId,
        actor: fact.actorUserId ? { kind: 'user', id: fact.actorUserId } : { kind: 'system', id: null },
        action: fact.action,
        target: fact.target,
        details: fact.details,
      },
      currentOrigin(),
    );
  }
}
