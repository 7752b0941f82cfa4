import { ScimSchema } from '@parley/contracts';
import type { ScimGroupRecord, ScimUserRecord } from './scim.repository';

/** RFC 7643 User resource of a SCIM user. */
export function userResource(
  user: ScimUserRecord,
  groups: readonly { id: string; displayName: string }[],
  baseUrl: string,
) {
  return {
    schemas: [ScimSchema.User],
    id: user.id,
    ...(user.externalId ? { externalId: user.externalId } : {}),
    userName: user.userName,
    ...(user.displayName ? { displayName: user.displayName } : {}),
    name: {
      ...(user.givenName ? { givenName: user.givenName } : {}),
      ...(user.familyName ? { familyName: user.familyName } : {}),
    },
    emails: [{ value: user.email, type: 'work', primary: true }],
    active: user.active,
    groups: groups.map((g) => ({ value: g.id, display: g.displayName, $ref: `${baseUrl}/Groups/${g.id}` })),
    meta: {
      resourceType: 'User',
      created: user.createdAt,
      lastModified: user.updatedAt,
      version: `W/"${user.version}"`,
      location: `${baseUrl}/Users/${user.id}`,
    },
  };
}

/** RFC 7643 Group resource; `withMembers: false` for `excludedAttributes=members`. */
export function groupResource(group: ScimGroupRecord, baseUrl: string, withMembers = true) {
  return {
    schemas: [ScimSchema.Group],
    id: group.id,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    displayName: group.displayName,
    ...(withMembers
      ? {
          members: group.members.map((id) => ({
            value: id,
            display: group.memberNames[id],
            $ref: `${baseUrl}/Users/${id}`,
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: group.createdAt,
      lastModified: group.updatedAt,
      version: `W/"${group.version}"`,
      location: `${baseUrl}/Groups/${group.id}`,
    },
  };
}

export function listResponse<T>(resources: T[], total: number, offset: number) {
  return {
    schemas: [ScimSchema.ListResponse],
    totalResults: total,
    startIndex: offset + 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
