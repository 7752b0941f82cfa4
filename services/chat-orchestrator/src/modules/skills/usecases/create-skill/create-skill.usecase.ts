import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import { isTenantAdmin } from '../../../principal/chat-principal';
import { builtinSkillByCommand } from '../../builtin-skills';
import { skillView, type SkillView } from '../../skill';
import { skillCommandTaken, tenantSkillsForAdmins } from '../../skill-errors';
import { SkillsRepository } from '../../skills.repository';
import { TenantSkillAudit } from '../../tenant-skill-audit';
import type { CreateSkillCommand } from './create-skill.command';

/**
 * Anyone creates private skills; owners and admins tenant skills. The command must be free among
 * what the creator sees (built-ins, tenant skills, their own private skills), checked and taken
 * under the command's lock. A tenant skill is recorded for the audit log.
 */
@Injectable()
export class CreateSkillUseCase {
  constructor(
    private readonly skills: SkillsRepository,
    private readonly audit: TenantSkillAudit,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute({ principal, fields }: CreateSkillCommand): Promise<SkillView> {
    if (fields.visibility === 'tenant' && !isTenantAdmin(principal)) throw tenantSkillsForAdmins();
    if (builtinSkillByCommand(fields.command)) throw skillCommandTaken(fields.command);
    const record = await this.skills.transaction(principal, async (tx) => {
      await this.skills.lockCommand(tx, fields.command);
      if (await this.skills.commandTaken(tx, principal, fields.command)) throw skillCommandTaken(fields.command);
      const inserted = await this.skills.insert(tx, randomUUID(), principal, fields);
      if (!inserted) throw skillCommandTaken(fields.command);
      if (inserted.visibility === 'tenant') await this.audit.record(tx, principal, inserted, 'created');
      return inserted;
    });
    this.logger.info({ skillId: record.id, command: record.command, visibility: record.visibility }, 'Skill created');
    return skillView(record, principal);
  }
}
