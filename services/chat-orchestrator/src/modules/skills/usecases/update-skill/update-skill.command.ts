import type { ChatPrincipal } from '../../../principal/chat-principal';
import { parseInput, updateSkillBodySchema } from '@parley/contracts';
import type { SkillFields } from '../../skills.repository';
import { optionalText, skillName, systemPromptTemplate } from '../../skill-input';

export class UpdateSkillCommand {
  private constructor(
    readonly principal: ChatPrincipal,
    readonly id: string,
    /** Only the fields the body named. */
    readonly changes: Partial<SkillFields>,
  ) {}

  static create(principal: ChatPrincipal, id: string, input: unknown): UpdateSkillCommand {
    const body = parseInput(updateSkillBodySchema, input, 'body');
    const changes: Partial<SkillFields> = {};
    if (body.name !== undefined) changes.name = skillName(body.name);
    if (body.command !== undefined) changes.command = body.command;
    if (body.description !== undefined) changes.description = optionalText(body.description);
    if (body.systemPrompt !== undefined) changes.systemPrompt = systemPromptTemplate(body.systemPrompt);
    if (body.model !== undefined) changes.model = optionalText(body.model);
    if (body.visibility !== undefined) changes.visibility = body.visibility;
    return new UpdateSkillCommand(principal, id, changes);
  }
}
