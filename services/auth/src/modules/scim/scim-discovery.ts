import { SCIM_LIMITS, ScimSchema } from '@parley/contracts';

/** RFC 7643 §5: what this SCIM service supports. */
export function serviceProviderConfig() {
  return {
    schemas: [ScimSchema.ServiceProviderConfig],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: SCIM_LIMITS.maxPageSize },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'The directory token from Parley’s admin console',
      },
    ],
  };
}

export function resourceTypes() {
  const type = (name: 'User' | 'Group', schema: string) => ({
    schemas: [ScimSchema.ResourceType],
    id: name,
    name,
    endpoint: `/${name}s`,
    schema,
  });
  return {
    schemas: [ScimSchema.ListResponse],
    totalResults: 2,
    Resources: [type('User', ScimSchema.User), type('Group', ScimSchema.Group)],
  };
}
