import { Injectable } from '@nestjs/common';
import type { ChatPrincipal } from '../../../principal/chat-principal';
import { builtinSkillById, isBuiltinSkillId } from '../../builtin-skills';
import { builtinSkillView, skillView, type SkillView } from '../../skill';
import { skillNotFound } from '../../skill-errors';
import { isStoredSkillId } from '../../skill-id';
import { SkillsRepository } from '../../skills.repository';

/** A built-in skill, a tenant skill, or the caller's own private skill; anything else is 404. */
@Injectable()
export class GetSkillUseCase {
  constructor(private readonly skills: SkillsRepository) {}

  async execute({ principal, id }: { principal: ChatPrincipal; id: string }): Promise<SkillView> {
    if (isBuiltinSkillId(id)) {
      const builtin = builtinSkillById(id);
      if (!builtin) throw skillNotFound();
      return builtinSkillView(builtin);
    }
    if (!isStoredSkillId(id)) throw skillNotFound();
    const record = await this.skills.findVisible(principal, id);
    if (!record) throw skillNotFound();
    return skillView(record, principal);
  }
}
