import { describe, expect, it } from 'vitest';
import { principalFromHeaders } from './chat-principal';

const TENANT = '0b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
const USER = '1b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
const KEY = '2b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f';

function req(headers: Record<string, string>) {
  return { header: (name: string) => headers[name] } as never;
}

const user = {
  'x-tenant-id': TENANT,
  'x-principal-kind': 'user',
  'x-user-id': USER,
  'x-principal-role': 'member',
  'x-principal-plan': 'pro',
};

describe('principalFromHeaders', () => {
  it('reads a user, owning by user id', () => {
    expect(principalFromHeaders(req(user))).toMatchObject({ kind: 'user', userId: USER, ownerId: USER, scopes: [] });
  });

  it('reads an API key with its scopes, without a user', () => {
    const key = {
      ...user,
      'x-principal-kind': 'api-key',
      'x-api-key-id': KEY,
      'x-api-key-scopes': 'chat:read,chat:write',
    };
    delete (key as Record<string, string>)['x-user-id'];
    expect(principalFromHeaders(req(key))).toMatchObject({
      kind: 'api-key',
      userId: null,
      apiKeyId: KEY,
      ownerId: KEY,
      scopes: ['chat:read', 'chat:write'],
    });
  });

  it('reads the self-hosted anonymous owner (AUTH_REQUIRED=false) as owner "anonymous" without a user id', () => {
    const anonymous = {
      ...user,
      'x-principal-kind': 'anonymous',
      'x-user-id': 'anonymous',
      'x-principal-role': 'owner',
    };
    expect(principalFromHeaders(req(anonymous))).toMatchObject({
      kind: 'anonymous',
      userId: null,
      ownerKind: 'anonymous',
      ownerId: 'anonymous',
    });
  });

  it.each([
    ['no tenant', { ...user, 'x-tenant-id': '' }],
    ['a malformed tenant', { ...user, 'x-tenant-id': 'acme' }],
    ['a user called anonymous', { ...user, 'x-user-id': 'anonymous' }],
    ['an unknown role', { ...user, 'x-principal-role': 'root' }],
    ['an API key without its id', { ...user, 'x-principal-kind': 'api-key' }],
  ])('refuses %s', (_, headers) => {
    expect(principalFromHeaders(req(headers))).toBeNull();
  });
});
