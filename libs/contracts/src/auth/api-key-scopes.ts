/**
 * What an API key may do at the gateway. A key carries a set of these (chosen when it is created);
 * a route that needs one says so with `@RequireScope(...)`, and a key without it (or `*`) is
 * refused with 403 `insufficient_scope`. Access tokens (people) are not limited by scopes.
 */
export const API_KEY_SCOPES = [
  'chat:read',
  'chat:write',
  'skills:read',
  'skills:write',
  'stats:read',
  'tenant:read',
  'stt:write',
] as const;

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Grants every scope, including ones added later. */
export const ALL_SCOPES = '*';

const KNOWN: ReadonlySet<string> = new Set<string>([...API_KEY_SCOPES, ALL_SCOPES]);

/** Whether a string is a scope of the vocabulary (or `*`). */
export function isApiKeyScope(value: string): value is ApiKeyScope | typeof ALL_SCOPES {
  return KNOWN.has(value);
}

/** Whether a key with `granted` scopes may do what `required` allows. */
export function hasScope(granted: readonly string[], required: ApiKeyScope): boolean {
  return granted.includes(required) || granted.includes(ALL_SCOPES);
}
