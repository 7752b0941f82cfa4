import { z } from 'zod';

/** SCIM 2.0 (RFC 7643/7644) as Parley serves it at `/scim/v2`, per tenant, with a bearer token of its own. */
export const SCIM_PUBLIC_PREFIX = '/scim/v2';
export const SCIM_CONTENT_TYPE = 'application/scim+json';
export const SCIM_TOKEN_PREFIX = 'pscim_';

export const ScimSchema = {
  User: 'urn:ietf:params:scim:schemas:core:2.0:User',
  Group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  ListResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  PatchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  Error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  ServiceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  ResourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
} as const;

/** Bounds of one request: a page, a PATCH, a group's member list in one request. */
export const SCIM_LIMITS = { maxPageSize: 200, maxOperations: 100, maxMembersPerRequest: 1000 } as const;

/** Entra sends booleans as the strings "True"/"False". */
export const scimBoolean = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^(true|false)$/i)
    .transform((value) => value.toLowerCase() === 'true'),
]);

const text = (max: number) => z.string().max(max);

/** The User attributes Parley reads (others are accepted and ignored, as RFC 7643 allows). */
export const scimUserInputSchema = z.looseObject({
  userName: text(254).min(1),
  externalId: text(255).optional(),
  active: scimBoolean.optional(),
  displayName: text(200).optional(),
  name: z
    .looseObject({ givenName: text(100).optional(), familyName: text(100).optional(), formatted: text(200).optional() })
    .optional(),
  emails: z
    .array(z.looseObject({ value: text(254), primary: scimBoolean.optional(), type: text(50).optional() }))
    .max(20)
    .optional(),
});
export type ScimUserInput = z.infer<typeof scimUserInputSchema>;

export const scimMemberRefSchema = z.looseObject({ value: text(64).min(1), display: text(254).optional() });

export const scimGroupInputSchema = z.looseObject({
  displayName: text(200).min(1),
  externalId: text(255).optional(),
  members: z.array(scimMemberRefSchema).max(SCIM_LIMITS.maxMembersPerRequest).optional(),
});
export type ScimGroupInput = z.infer<typeof scimGroupInputSchema>;

/** One PATCH operation; Entra capitalises `op` ("Replace", "Add", "Remove"). */
export const scimPatchOperationSchema = z.looseObject({
  op: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(['add', 'replace', 'remove'])),
  path: text(500).optional(),
  value: z.unknown().optional(),
});
export type ScimPatchOperation = z.infer<typeof scimPatchOperationSchema>;

export const scimPatchSchema = z.looseObject({
  Operations: z.array(scimPatchOperationSchema).min(1).max(SCIM_LIMITS.maxOperations),
});

/** A tenant's directory-sync settings as its admins see them (the token is shown once, at creation). */
export const scimSettingsSchema = z.strictObject({
  defaultRole: z.enum(['admin', 'member', 'billing']),
  groupRoles: z
    .array(z.strictObject({ group: text(200).min(1), role: z.enum(['admin', 'member', 'billing']) }))
    .max(100),
});
export type ScimSettings = z.infer<typeof scimSettingsSchema>;
