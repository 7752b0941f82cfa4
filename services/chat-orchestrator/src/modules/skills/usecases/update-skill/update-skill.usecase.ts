import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import { isTenantAdmin } from '../../../principal/chat-principal';
import { builtinSkillByCommand, builtinSkillById, isBuiltinSkillId } from '../../builtin-skills';
import { canChangeSkill, skillView, type SkillRecord, type SkillView } from '../../skill';
import { builtinSkillReadOnly, skillCommandTaken, skillNotFound, tenantSkillsForAdmins } from '../../skill-errors';
import { isStoredSkillId } from '../../skill-id';
import { SkillsRepository } from '../../skills.repository';
import { TenantSkillAudit } from '../../tenant-skill-audit';
import type { UpdateSkillCommand } from './update-skill.command';

/**
 * Changes a skill the caller may change (tenant skill: owner or admin; private skill: its creator).
 * Making a skill `tenant` needs an owner or admin; making a tenant skill `private` makes it the
 * private skill of whoever does it. A new command or visibility is checked like a creation. A
 * change that involves a tenant skill is recorded for the audit log.
 */
@Injectable()
export class UpdateSkillUseCase {
  constructor(
    private readonly skills: SkillsRepository,
    private readonly audit: TenantSkillAudit,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute({ principal, id, changes }: UpdateSkillCommand): Promise<SkillView> {
    if (isBuiltinSkillId(id)) throw builtinSkillById(id) ? builtinSkillReadOnly() : skillNotFound();
    if (!isStoredSkillId(id)) throw skillNotFound();
    const record = await this.skills.transaction(principal, async (tx) => {
      const current = await this.skills.findVisible(principal, id, tx);
      if (!current) throw skillNotFound();
      if (!canChangeSkill(current, principal)) throw tenantSkillsForAdmins();
      if (changes.visibility === 'tenant' && !isTenantAdmin(principal)) throw tenantSkillsForAdmins();
      const next: SkillRecord = { ...current, ...changes };
      if (next.visibility === 'private' && current.visibility === 'tenant') {
        next.createdByKind = principal.ownerKind;
        next.createdBy = principal.ownerId;
      }
      if (next.command !== current.command || next.visibility !== current.visibility) {
        if (builtinSkillByCommand(next.command)) throw skillCommandTaken(next.command);
        await this.skills.lockCommand(tx, next.command);
        if (await this.skills.commandTaken(tx, principal, next.command, id)) throw skillCommandTaken(next.command);
      }
      const updated = await this.skills.update(tx, next);
      if (!updated) throw skillCommandTaken(next.command);
      if (current.visibility === 'tenant' || updated.visibility === 'tenant') {
        await this.audit.record(tx, principal, updated, 'updated');
      }
      return updated;
    });
    this.logger.info({ skillId: id, changed: Object.keys(changes) }, 'Skill changed');
    return skillView(record, principal);
  }
}
