import { type ChatPrincipal, isTenantAdmin } from '../principal/chat-principal';
import type { BuiltinSkill } from './builtin-skills';

export type SkillVisibility = 'private' | 'tenant';

/** A stored skill (table `skills` of the tenant's schema). */
export interface SkillRecord {
  id: string;
  name: string;
  command: string;
  description: string | null;
  systemPrompt: string;
  model: string | null;
  visibility: SkillVisibility;
  createdByKind: ChatPrincipal['ownerKind'];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A skill as the API shows it to one caller. */
export interface SkillView {
  id: string;
  name: string;
  command: string;
  description: string | null;
  systemPrompt: string;
  model: string | null;
  visibility: 'builtin' | SkillVisibility;
  /** Whether this caller may change or delete it. */
  editable: boolean;
  createdAt: string | null;
  updatedAt: string | null;
}

/** Private skills belong to the principal that created them (a user, or an API key). */
export function isOwnSkill(
  record: Pick<SkillRecord, 'createdByKind' | 'createdBy'>,
  principal: ChatPrincipal,
): boolean {
  return record.createdByKind === principal.ownerKind && record.createdBy === principal.ownerId;
}

/** Tenant skills are changed by owners and admins; private ones by their creator, who alone sees them. */
export function canChangeSkill(record: SkillRecord, principal: ChatPrincipal): boolean {
  return record.visibility === 'tenant' ? isTenantAdmin(principal) : isOwnSkill(record, principal);
}

export function skillView(record: SkillRecord, principal: ChatPrincipal): SkillView {
  return {
    id: record.id,
    name: record.name,
    command: record.command,
    description: record.description,
    systemPrompt: record.systemPrompt,
    model: record.model,
    visibility: record.visibility,
    editable: canChangeSkill(record, principal),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export function builtinSkillView(skill: BuiltinSkill): SkillView {
  return {
    id: skill.id,
    name: skill.name,
    command: skill.command,
    description: skill.description,
    systemPrompt: skill.systemPrompt,
    model: null,
    visibility: 'builtin',
    editable: false,
    createdAt: null,
    updatedAt: null,
  };
}
