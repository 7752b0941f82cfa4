import { describe, expect, it } from 'vitest';
import type { Principal } from './principal';
import { scopeRefusal } from './principal-scope';

const base: Principal = {
  kind: 'user',
  tenantId: '3b0f6c1e-8d2a-4f5b-9c7e-1a2b3c4d5e6f',
  userId: 'u1',
  role: 'member',
  plan: 'free',
  sessionId: 's1',
};
const key = (scopes: string[]): Principal => ({
  ...base,
  kind: 'api-key',
  userId: null,
  sessionId: null,
  apiKeyId: 'k1',
  scopes,
});

describe('scopeRefusal', () => {
  it('lets people (access tokens) and the anonymous owner through whatever the route needs', () => {
    expect(scopeRefusal(base, 'tenant:read')).toBeUndefined();
    expect(scopeRefusal({ ...base, kind: 'anonymous', role: 'owner' }, 'chat:write')).toBeUndefined();
  });

  it('lets a key with the scope, or *, through; any key through a route that needs none', () => {
    expect(scopeRefusal(key(['chat:read', 'tenant:read']), 'tenant:read')).toBeUndefined();
    expect(scopeRefusal(key(['*']), 'tenant:read')).toBeUndefined();
    expect(scopeRefusal(key([]), undefined)).toBeUndefined();
  });

  it('refuses a key without the scope: 403 insufficient_scope naming it', () => {
    const refusal = scopeRefusal(key(['chat:read']), 'tenant:read');
    expect(refusal).toMatchObject({ code: 'insufficient_scope', details: { requiredScope: 'tenant:read' } });
    expect(refusal?.httpStatus).toBe(403);
    expect(scopeRefusal({ ...key([]), scopes: undefined }, 'chat:read')?.code).toBe('insufficient_scope');
  });
});
