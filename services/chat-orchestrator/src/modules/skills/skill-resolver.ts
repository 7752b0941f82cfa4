import { Injectable } from '@nestjs/common';
import type { ChatPrincipal } from '../principal/chat-principal';
import { builtinSkillByCommand } from './builtin-skills';
import { parseCommand } from './skill-command';
import { unknownSkill } from './skill-errors';
import { renderTemplate, usesTemplateVariable, utcDate } from './skill-template';
import { SkillsRepository } from './skills.repository';
import { TenantNameReader } from './tenant-name.reader';

/** What a user message asks of the model once its command (if any) is resolved. */
export interface ResolvedPrompt {
  skill: { id: string; command: string; name: string } | null;
  /** The skill's rendered system prompt; null for an ordinary message. */
  systemPrompt: string | null;
  /** What goes to the model as the user's turn. */
  userContent: string;
  /** The skill's model, when it names one. */
  modelOverride: string | null;
}

interface ResolvableSkill {
  id: string;
  command: string;
  name: string;
  systemPrompt: string;
  model: string | null;
}

/**
 * Turns a user message into a prompt. `/command rest` invokes the skill with that command among
 * those the principal sees: built-ins (which nothing can shadow: creating or renaming a skill onto
 * a built-in command is refused, so they are answered without the database), then the caller's own
 * private skill, then the tenant's. Any other message is passed through without touching the
 * database: this sits on the time-to-first-token path.
 */
@Injectable()
export class SkillResolver {
  constructor(
    private readonly skills: SkillsRepository,
    private readonly tenantNames: TenantNameReader,
  ) {}

  async resolve(principal: ChatPrincipal, content: string): Promise<ResolvedPrompt> {
    const parsed = parseCommand(content);
    if (!parsed) return { skill: null, systemPrompt: null, userContent: content, modelOverride: null };
    const builtin = builtinSkillByCommand(parsed.command);
    const skill: ResolvableSkill | null = builtin
      ? { ...builtin, model: null }
      : await this.skills.findByCommand(principal, parsed.command);
    if (!skill) throw unknownSkill(parsed.command);
    const tenantName = usesTemplateVariable(skill.systemPrompt, 'tenant.name')
      ? await this.tenantNames.nameOf(principal.tenantId)
      : '';
    return {
      skill: { id: skill.id, command: skill.command, name: skill.name },
      systemPrompt: renderTemplate(skill.systemPrompt, {
        input: parsed.input,
        'tenant.name': tenantName,
        date: utcDate(),
      }),
      userContent: parsed.input || skill.name,
      modelOverride: skill.model,
    };
  }
}
