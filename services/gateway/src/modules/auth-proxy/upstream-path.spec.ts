import { describe, expect, it } from 'vitest';
import { authUpstreamPath } from './upstream-path';

describe('authUpstreamPath', () => {
  it.each([
    ['/api/v1/auth/sign-in', '/auth/sign-in'],
    ['/api/v1/auth/api-keys/k_1?limit=5', '/auth/api-keys/k_1?limit=5'],
    ['/api/v1/auth/invites/a%20b', '/auth/invites/a%20b'],
  ])('maps %s to %s', (from, to) => {
    expect(authUpstreamPath(from)).toBe(to);
  });

  it.each([
    '/api/v1/auth/../../internal/tenants',
    '/api/v1/auth/%2e%2e/%2e%2e/internal/tenants',
    '/api/v1/auth/x/..%2f..%2finternal',
    '/api/v1/auth/x%5c..%5cinternal',
    '/api/v1/auth/a//b',
    '/api/v1/auth/',
    '/api/v1/me',
    '/api/v1/auth/%E0%A4%A',
  ])('refuses %s', (url) => {
    expect(authUpstreamPath(url)).toBeNull();
  });
});
