import { describe, expect, it } from 'vitest';
import { principalFromClaims } from './access-token-claims';

const claims = {
  sub: 'user-1',
  tid: '0b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
  role: 'billing',
  sid: 'sess-1',
  plan: 'enterprise',
  jti: 'j-1',
  iat: 1,
  nbf: 1,
  exp: 2,
  iss: 'parley',
  aud: 'parley-api',
};

describe('access token claims', () => {
  it('become a user principal', () => {
    expect(principalFromClaims(claims)).toEqual({
      kind: 'user',
      tenantId: claims.tid,
      userId: 'user-1',
      role: 'billing',
      plan: 'enterprise',
      sessionId: 'sess-1',
    });
  });

  it.each([
    ['an upper-case tenant', { tid: claims.tid.toUpperCase() }],
    ['a tenant that is not a UUID', { tid: 'acme' }],
    ['an unknown role', { role: 'root' }],
    ['an unknown plan', { plan: 'gold' }],
    ['an empty subject', { sub: '' }],
    ['a numeric session', { sid: 7 }],
  ])('refuse %s', (_, patch) => {
    expect(principalFromClaims({ ...claims, ...patch })).toBeNull();
  });
});
