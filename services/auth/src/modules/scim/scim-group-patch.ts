import { SCIM_LIMITS, scimMemberRefSchema, type ScimPatchOperation } from '@parley/contracts';
import { scimInvalidPath, scimInvalidValue } from './scim-errors';

/** The attributes of a SCIM group that Parley keeps; members are SCIM user ids. */
export interface ScimGroupState {
  displayName: string;
  externalId: string | null;
  members: string[];
}

const MEMBER_FILTER = /^members\s*\[\s*value\s+eq\s+"([^"]+)"\s*\]$/i;

function memberIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  if (list.length > SCIM_LIMITS.maxMembersPerRequest) throw scimInvalidValue('Too many members in one operation');
  return list.map((entry) => {
    const parsed = scimMemberRefSchema.safeParse(entry);
    if (!parsed.success) throw scimInvalidValue('members must be objects with a value');
    return parsed.data.value.toLowerCase();
  });
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200)
    throw scimInvalidValue(`${what} must be text`);
  return value;
}

/**
 * RFC 7644 §3.5.2 on a group, in the shapes Okta and Entra send: `add`/`remove` of `members` with a
 * value list, `remove` with `members[value eq "…"]`, `replace` of `members` or `displayName`, and a
 * `replace` without path whose value holds `displayName` (and Okta's `id`).
 */
export function patchGroup(state: ScimGroupState, operations: readonly ScimPatchOperation[]): ScimGroupState {
  let { displayName, externalId } = state;
  const members = new Set(state.members);
  for (const { op, path, value } of operations) {
    const target = path?.trim() ?? '';
    const filtered = MEMBER_FILTER.exec(target);
    if (filtered?.[1]) {
      if (op !== 'remove') throw scimInvalidPath('Only remove may target one member');
      members.delete(filtered[1].toLowerCase());
    } else if (target.toLowerCase() === 'members') {
      if (op === 'replace') members.clear();
      if (op === 'remove' && (value === undefined || value === null)) members.clear();
      for (const id of memberIds(value)) {
        if (op === 'remove') members.delete(id);
        else members.add(id);
      }
    } else if (target.toLowerCase() === 'displayname') {
      if (op === 'remove') throw scimInvalidValue('displayName is required');
      displayName = text(value, 'displayName');
    } else if (target.toLowerCase() === 'externalid') {
      externalId = op === 'remove' ? null : text(value, 'externalId');
    } else if (target === '') {
      if (op === 'remove' || typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw scimInvalidValue('Without a path, the value must be an object of attributes');
      }
      const attributes = value as { displayName?: unknown; externalId?: unknown; members?: unknown };
      if (attributes.displayName !== undefined) displayName = text(attributes.displayName, 'displayName');
      if (attributes.externalId !== undefined) externalId = text(attributes.externalId, 'externalId');
      if (attributes.members !== undefined) {
        if (op === 'replace') members.clear();
        for (const id of memberIds(attributes.members)) members.add(id);
      }
    } else {
      throw scimInvalidPath(`Unsupported path ${target}`);
    }
  }
  return { displayName, externalId, members: [...members] };
}
