import { Injectable } from '@nestjs/common';
import { AuditRecorder, auditActorOf, type OutboxTransaction } from '@parley/bus';
import type { ChatPrincipal } from '../principal/chat-principal';
import type { SkillRecord } from './skill';

/**
 * A tenant skill is the tenant's shared configuration: creating, changing or deleting one (or making
 * a skill tenant-wide or private) is an admin's settings change for the audit log
 * (`settings.changed`, target the skill), in the write's own transaction. Private skills are a
 * person's own and are not recorded.
 */
@Injectable()
export class TenantSkillAudit {
  constructor(private readonly recorder: AuditRecorder) {}

  async record(
    tx: OutboxTransaction,
    principal: ChatPrincipal,
    skill: Pick<SkillRecord, 'id' | 'command' | 'visibility'>,
    change: 'created' | 'updated' | 'deleted',
  ): Promise<void> {
    await this.recorder.record(tx, {
      tenantId: principal.tenantId,
      actor: auditActorOf(principal),
      action: 'settings.changed',
      target: { type: 'skill', id: skill.id },
      details: { setting: 'skill', change, command: skill.command, visibility: skill.visibility },
    });
  }
}
