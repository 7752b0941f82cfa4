import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@parley/contracts';
import { canManageBilling, type SessionState } from '../auth/session';

const signedIn = (role: Role | null) => ({ status: 'signed-in', me: { role } }) as unknown as SessionState;

describe('who sees the billing page', () => {
  it('owners and billing members; admins, members, no role and visitors do not', () => {
    const allowed = ROLES.filter((role) => canManageBilling(signedIn(role)));
    expect(allowed).toEqual(['owner', 'billing']);
    expect(canManageBilling(signedIn(null))).toBe(false);
    expect(canManageBilling({ status: 'signed-out' })).toBe(false);
  });
});
