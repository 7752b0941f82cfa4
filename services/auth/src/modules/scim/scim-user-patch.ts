import { scimBoolean, type ScimPatchOperation, type ScimUserInput } from '@parley/contracts';
import { scimInvalidPath, scimInvalidValue } from './scim-errors';

/** The attributes of a SCIM user that Parley keeps. */
export interface ScimUserState {
  userName: string;
  externalId: string | null;
  active: boolean;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  email: string;
}

/** A state from a full resource (POST, PUT): the work or primary email, else the userName. */
export function userStateFrom(input: ScimUserInput, previous?: ScimUserState): ScimUserState {
  const emails = input.emails ?? [];
  const email = (emails.find((e) => e.primary === true) ?? emails.find((e) => e.type === 'work') ?? emails[0])?.value;
  return {
    userName: input.userName,
    externalId: input.externalId ?? null,
    active: input.active ?? previous?.active ?? true,
    displayName: input.displayName ?? null,
    givenName: input.name?.givenName ?? null,
    familyName: input.name?.familyName ?? null,
    email: (email ?? input.userName).trim().toLowerCase(),
  };
}

const stringOrNull = (value: unknown, path: string): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || value.length > 254) throw scimInvalidValue(`${path} must be a string`);
  return value;
};

/** Applies one attribute (by SCIM path) to the state; unknown attributes (extensions) are ignored. */
function setAttribute(state: ScimUserState, path: string, value: unknown, removing: boolean): ScimUserState {
  const key = path.trim().toLowerCase();
  switch (key) {
    case 'active': {
      if (removing) return state;
      const parsed = scimBoolean.safeParse(value);
      if (!parsed.success) throw scimInvalidValue('active must be a boolean');
      return { ...state, active: parsed.data };
    }
    case 'username': {
      const userName = stringOrNull(value, 'userName');
      if (removing || !userName) throw scimInvalidValue('userName is required');
      return { ...state, userName };
    }
    case 'externalid':
      return { ...state, externalId: removing ? null : stringOrNull(value, 'externalId') };
    case 'displayname':
      return { ...state, displayName: removing ? null : stringOrNull(value, 'displayName') };
    case 'name.givenname':
      return { ...state, givenName: removing ? null : stringOrNull(value, 'name.givenName') };
    case 'name.familyname':
      return { ...state, familyName: removing ? null : stringOrNull(value, 'name.familyName') };
    case 'name': {
      if (removing) return { ...state, givenName: null, familyName: null };
      const name = (value ?? {}) as { givenName?: unknown; familyName?: unknown };
      return {
        ...state,
        givenName: 'givenName' in name ? stringOrNull(name.givenName, 'name.givenName') : state.givenName,
        familyName: 'familyName' in name ? stringOrNull(name.familyName, 'name.familyName') : state.familyName,
      };
    }
    case 'emails':
    case 'emails[type eq "work"].value':
    case 'emails[primary eq true].value': {
      if (removing) return state; // the email is the account's: it cannot be removed, only replaced
      const email = Array.isArray(value)
        ? (
            (value.find((e: { primary?: unknown }) => e?.primary === true || e?.primary === 'True') ?? value[0]) as {
              value?: unknown;
            }
          )?.value
        : value;
      const text = stringOrNull(email, 'emails');
      return text ? { ...state, email: text.trim().toLowerCase() } : state;
    }
    default:
      if (key.startsWith('emails[') || key.startsWith('name.') || key.startsWith('urn:')) return state;
      if (/^[a-z][\w.]*$/i.test(key)) return state; // an attribute Parley does not keep
      throw scimInvalidPath(`Unsupported path ${path}`);
  }
}

/** RFC 7644 §3.5.2 on a user, in the shapes Okta and Entra send (with or without `path`). */
export function patchUser(state: ScimUserState, operations: readonly ScimPatchOperation[]): ScimUserState {
  return operations.reduce((current, operation) => {
    const removing = operation.op === 'remove';
    if (operation.path) return setAttribute(current, operation.path, operation.value, removing);
    if (removing) throw scimInvalidPath('remove needs a path');
    if (typeof operation.value !== 'object' || operation.value === null || Array.isArray(operation.value)) {
      throw scimInvalidValue('Without a path, the value must be an object of attributes');
    }
    return Object.entries(operation.value).reduce(
      (next, [path, value]) => setAttribute(next, path, value, false),
      current,
    );
  }, state);
}
