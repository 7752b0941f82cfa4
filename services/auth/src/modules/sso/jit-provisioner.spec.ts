import { describe, expect, it } from 'vitest';
import type { SsoConnection } from './connections/sso-connections.repository';
import { roleFor } from './jit-provisioner';

const connection = (groupRoles: SsoConnection['groupRoles'], defaultRole: SsoConnection['defaultRole'] = 'member') =>
  ({ groupRoles, defaultRole }) as SsoConnection;

describe('roleFor: the role of a first SSO login', () => {
  it('is the default without a mapped group', () => {
    expect(roleFor(connection([{ group: 'admins', role: 'admin' }]), ['staff'])).toBe('member');
    expect(roleFor(connection([], 'billing'), [])).toBe('billing');
  });

  it('is the strongest mapped role among the user’s groups', () => {
    const table = connection([
      { group: 'finance', role: 'billing' },
      { group: 'admins', role: 'admin' },
    ]);
    expect(roleFor(table, ['finance'])).toBe('billing');
    expect(roleFor(table, ['finance', 'admins'])).toBe('admin');
  });

  it('matches group names exactly (case matters, no prefix match)', () => {
    const table = connection([{ group: 'admins', role: 'admin' }]);
    expect(roleFor(table, ['Admins', 'admins-readonly'])).toBe('member');
  });
});
