import type { ChatPrincipal } from '../../../principal/chat-principal';
import { createSkillBodySchema, parseInput } from '@parley/contracts';
import type { SkillFields } from '../../skills.repository';
import { optionalText, skillName, systemPromptTemplate } from '../../skill-input';

export class CreateSkillCommand {
  private constructor(
    readonly principal: ChatPrincipal,
    readonly fields: SkillFields,
  ) {}

  static create(principal: ChatPrincipal, input: unknown): CreateSkillCommand {
    const body = parseInput(createSkillBodySchema, input, 'body');
    return new CreateSkillCommand(principal, {
      name: skillName(body.name),
      command: body.command,
      description: optionalText(body.description),
      systemPrompt: systemPromptTemplate(body.systemPrompt),
      model: optionalText(body.model),
      visibility: body.visibility,
    });
  }
}
