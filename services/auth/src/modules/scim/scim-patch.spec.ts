import { describe, expect, it } from 'vitest';
import { scimPatchSchema } from '@parley/contracts';
import { parseEqualityFilter, pageOf } from './scim-filter';
import { patchGroup } from './scim-group-patch';
import { patchUser, type ScimUserState } from './scim-user-patch';

const ops = (body: unknown) => scimPatchSchema.parse(body).Operations;
const ann: ScimUserState = {
  userName: 'ann@acme.test',
  externalId: null,
  active: true,
  displayName: 'Ann',
  givenName: 'Ann',
  familyName: 'Lee',
  email: 'ann@acme.test',
};

describe('SCIM user PATCH, as Okta and Entra send it', () => {
  it('Okta deactivation: replace without a path', () => {
    expect(patchUser(ann, ops({ Operations: [{ op: 'replace', value: { active: false } }] })).active).toBe(false);
  });

  it('Entra deactivation: "Replace" with path active and the string "False"', () => {
    expect(patchUser(ann, ops({ Operations: [{ op: 'Replace', path: 'active', value: 'False' }] })).active).toBe(false);
  });

  it('Entra attribute updates with paths, including a filtered email path and an extension it ignores', () => {
    const patched = patchUser(
      ann,
      ops({
        Operations: [
          { op: 'Replace', path: 'name.givenName', value: 'Anne' },
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'Anne.Lee@Acme.test' },
          { op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'R&D' },
          { op: 'Remove', path: 'externalId' },
        ],
      }),
    );
    expect(patched).toMatchObject({ givenName: 'Anne', email: 'anne.lee@acme.test', externalId: null, active: true });
  });

  it('refuses a non-boolean active and a userName removal', () => {
    expect(() => patchUser(ann, ops({ Operations: [{ op: 'replace', path: 'active', value: 'maybe' }] }))).toThrow(
      /active/,
    );
    expect(() => patchUser(ann, ops({ Operations: [{ op: 'remove', path: 'userName' }] }))).toThrow(/userName/);
  });
});

describe('SCIM group PATCH', () => {
  const group = { displayName: 'Sales', externalId: null, members: ['a', 'b'] };

  it('adds and removes members by value list and by filter (Okta, Entra)', () => {
    const patched = patchGroup(
      group,
      ops({
        Operations: [
          { op: 'add', path: 'members', value: [{ value: 'C' }] },
          { op: 'remove', path: 'members[value eq "a"]' },
          { op: 'Remove', path: 'members', value: [{ value: 'b' }] },
        ],
      }),
    );
    expect(patched.members).toEqual(['c']);
  });

  it('renames without a path (Okta) and replaces all members', () => {
    const patched = patchGroup(
      group,
      ops({
        Operations: [
          { op: 'replace', value: { id: 'ignored', displayName: 'Sales EMEA' } },
          { op: 'replace', path: 'members', value: [{ value: 'x' }] },
        ],
      }),
    );
    expect(patched).toEqual({ displayName: 'Sales EMEA', externalId: null, members: ['x'] });
  });

  it('refuses an unknown path', () => {
    expect(() => patchGroup(group, ops({ Operations: [{ op: 'add', path: 'owners', value: [] }] }))).toThrow(/path/);
  });
});

describe('SCIM filters and pages', () => {
  it('reads attribute eq "value" case-insensitively on the attribute name', () => {
    expect(parseEqualityFilter('UserName eq "ann@acme.test"', ['userName', 'externalId'])).toEqual({
      attribute: 'userName',
      value: 'ann@acme.test',
    });
    expect(parseEqualityFilter(undefined, ['userName'])).toBeNull();
  });

  it.each(['userName sw "a"', 'userName eq "a" or userName eq "b"', 'password eq "x"', 'userName eq a'])(
    'refuses %s (invalidFilter)',
    (filter) => {
      expect(() => parseEqualityFilter(filter, ['userName', 'externalId'])).toThrow(/filters of the form/);
    },
  );

  it('bounds pages', () => {
    expect(pageOf('1', '10', 200)).toEqual({ offset: 0, limit: 10 });
    expect(pageOf('5', '100000', 200)).toEqual({ offset: 4, limit: 200 });
    expect(pageOf('-3', 'x', 200)).toEqual({ offset: 0, limit: 200 });
  });
});
