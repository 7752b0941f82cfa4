import { describe, expect, it } from 'vitest';
import { safeRelayPath } from './relay-state';

describe('safeRelayPath: where a login may send the browser afterwards', () => {
  it('keeps paths of our app, with query and fragment; none is the root', () => {
    expect(safeRelayPath('/chat/42?x=1#m')).toBe('/chat/42?x=1#m');
    expect(safeRelayPath(undefined)).toBe('/');
    expect(safeRelayPath('')).toBe('/');
  });

  it('refuses other origins, protocol-relative and backslash tricks, schemes, the API and long values', () => {
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      'chat',
      '/api/v1/auth/me',
      '/%2e%2e/api/v1/auth/me',
      '/a b',
      `/${'a'.repeat(600)}`,
    ]) {
      expect(safeRelayPath(bad), bad).toBeNull();
    }
  });
});
