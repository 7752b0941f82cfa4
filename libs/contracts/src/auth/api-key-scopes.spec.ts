import { describe, expect, it } from 'vitest';
import { ALL_SCOPES, API_KEY_SCOPES, hasScope, isApiKeyScope } from './api-key-scopes';

describe('API key scopes', () => {
  it('grants a scope the key holds, or every scope with *', () => {
    expect(hasScope(['chat:read', 'tenant:read'], 'tenant:read')).toBe(true);
    expect(hasScope([ALL_SCOPES], 'stt:write')).toBe(true);
  });

  it('refuses a scope the key lacks: no prefixes, wildcards other than *, or case tricks', () => {
    expect(hasScope([], 'chat:read')).toBe(false);
    expect(hasScope(['chat:write'], 'chat:read')).toBe(false);
    expect(hasScope(['chat', 'chat:*', 'CHAT:READ', 'chat:read '], 'chat:read')).toBe(false);
  });

  it('knows the vocabulary', () => {
    expect(API_KEY_SCOPES).toEqual([
      'chat:read',
      'chat:write',
      'skills:read',
      'skills:write',
      'stats:read',
      'tenant:read',
      'stt:write',
    ]);
    expect(isApiKeyScope('*')).toBe(true);
    expect(isApiKeyScope('tenant:write')).toBe(false);
  });
});
