import { describe, expect, it } from 'vitest';
import { assertMayChangeRole, assertPermitted, isPermitted } from './permissions';

describe('permissions', () => {
  it('lets owners and admins manage members, keys and invites; everyone reads the member list', () => {
    for (const role of ['owner', 'admin'] as const) {
      expect(isPermitted(role, 'members.manage')).toBe(true);
      expect(isPermitted(role, 'api_keys.manage')).toBe(true);
      expect(isPermitted(role, 'invites.manage')).toBe(true);
    }
    for (const role of ['member', 'billing'] as const) {
      expect(isPermitted(role, 'members.read')).toBe(true);
      expect(() => assertPermitted(role, 'api_keys.manage')).toThrow(expect.objectContaining({ code: 'forbidden' }));
      expect(() => assertPermitted(role, 'invites.manage')).toThrow(expect.objectContaining({ code: 'forbidden' }));
    }
  });

  it('keeps the owner role in owners hands', () => {
    expect(() => assertMayChangeRole('owner', 'member', 'owner')).not.toThrow();
    expect(() => assertMayChangeRole('owner', 'owner', undefined)).not.toThrow();
    expect(() => assertMayChangeRole('admin', 'member', 'admin')).not.toThrow();
    expect(() => assertMayChangeRole('admin', 'admin', undefined)).not.toThrow();
    expect(() => assertMayChangeRole('admin', 'member', 'owner')).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    expect(() => assertMayChangeRole('admin', 'owner', 'member')).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    expect(() => assertMayChangeRole('admin', 'owner', undefined)).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    expect(() => assertMayChangeRole('member', 'member', 'billing')).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
  });
});
