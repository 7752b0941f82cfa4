import { DomainException, ErrorCode } from '@parley/contracts';
import type { Role } from '../access-tokens/access-token.claims';

/** What a role may do in its tenant (billing's plan management lives in the tenant service). */
export type Permission = 'members.read' | 'members.manage' | 'api_keys.manage' | 'invites.manage' | 'sso.manage';

const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  owner: ['members.read', 'members.manage', 'api_keys.manage', 'invites.manage', 'sso.manage'],
  admin: ['members.read', 'members.manage', 'api_keys.manage', 'invites.manage', 'sso.manage'],
  member: ['members.read'],
  billing: ['members.read'],
};

export function isPermitted(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** Throws 403 `forbidden` unless the role carries the permission. */
export function assertPermitted(role: Role, permission: Permission): void {
  if (!isPermitted(role, permission)) {
    throw new DomainException(ErrorCode.Forbidden, `Your role (${role}) may not do this`, { permission });
  }
}

/**
 * Only an owner may make someone an owner, or change or remove an owner's membership; admins manage
 * every other role. `from` is the member's current role (undefined for an invite), `to` the new one
 * (undefined for a removal).
 */
export function assertMayChangeRole(actor: Role, from: Role | undefined, to: Role | undefined): void {
  assertPermitted(actor, 'members.manage');
  if ((from === 'owner' || to === 'owner') && actor !== 'owner') {
    throw new DomainException(ErrorCode.Forbidden, 'Only an owner may grant or remove the owner role');
  }
}
