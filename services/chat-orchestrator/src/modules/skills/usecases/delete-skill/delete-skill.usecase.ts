import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import type { ChatPrincipal } from '../../../principal/chat-principal';
import { builtinSkillById, isBuiltinSkillId } from '../../builtin-skills';
import { canChangeSkill } from '../../skill';
import { builtinSkillReadOnly, skillNotFound, tenantSkillsForAdmins } from '../../skill-errors';
import { isStoredSkillId } from '../../skill-id';
import { SkillsRepository } from '../../skills.repository';
import { TenantSkillAudit } from '../../tenant-skill-audit';

/** Deletes a skill the caller may change; built-ins are read-only. Deleting a tenant skill is audited. */
@Injectable()
export class DeleteSkillUseCase {
  constructor(
    private readonly skills: SkillsRepository,
    private readonly audit: TenantSkillAudit,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute({ principal, id }: { principal: ChatPrincipal; id: string }): Promise<void> {
    if (isBuiltinSkillId(id)) throw builtinSkillById(id) ? builtinSkillReadOnly() : skillNotFound();
    if (!isStoredSkillId(id)) throw skillNotFound();
    await this.skills.transaction(principal, async (tx) => {
      const current = await this.skills.findVisible(principal, id, tx);
      if (!current) throw skillNotFound();
      if (!canChangeSkill(current, principal)) throw tenantSkillsForAdmins();
      await this.skills.delete(tx, id);
      if (current.visibility === 'tenant') await this.audit.record(tx, principal, current, 'deleted');
    });
    this.logger.info({ skillId: id }, 'Skill deleted');
  }
}
