import { Injectable } from '@nestjs/common';
import type { ChatPrincipal } from '../../../principal/chat-principal';
import { BUILTIN_SKILLS } from '../../builtin-skills';
import { builtinSkillView, skillView, type SkillView } from '../../skill';
import { SkillsRepository } from '../../skills.repository';

/** Built-ins first, then the tenant's skills and the caller's private ones, by command. */
@Injectable()
export class ListSkillsUseCase {
  constructor(private readonly skills: SkillsRepository) {}

  async execute({ principal }: { principal: ChatPrincipal }): Promise<{ items: SkillView[] }> {
    const stored = await this.skills.listVisible(principal);
    return {
      items: [...BUILTIN_SKILLS.map(builtinSkillView), ...stored.map((record) => skillView(record, principal))],
    };
  }
}
