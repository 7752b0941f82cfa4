import { describe, expect, it } from 'vitest';
import { classifyWebRequest, isHashedAsset, isReservedPath } from './web-app-route';

describe('the web app routes', () => {
  it.each([
    '/api',
    '/api/',
    '/api/v1/me',
    '/api/docs',
    '/scim/v2/Users',
    '/ws',
    '/ws/x',
    '/health',
    '/health/ready',
    '/metrics',
  ])('never claims the platform path %s', (path) => {
    expect(isReservedPath(path)).toBe(true);
    expect(classifyWebRequest('GET', path)).toBe('pass');
  });

  it('claims look-alikes that are not the platform prefixes', () => {
    expect(classifyWebRequest('GET', '/apis')).toBe('page');
    expect(classifyWebRequest('GET', '/healthy')).toBe('page');
    expect(classifyWebRequest('GET', '/wsx/chat')).toBe('page');
  });

  it('serves files for paths with an extension or under /assets, the app for the rest', () => {
    expect(classifyWebRequest('GET', '/')).toBe('page');
    expect(classifyWebRequest('GET', '/c/123')).toBe('page');
    expect(classifyWebRequest('HEAD', '/admin/members')).toBe('page');
    expect(classifyWebRequest('GET', '/assets/index-abc.js')).toBe('file');
    expect(classifyWebRequest('GET', '/favicon.ico')).toBe('file');
  });

  it('leaves every other method to the API', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      expect(classifyWebRequest(method, '/')).toBe('pass');
      expect(classifyWebRequest(method, '/c/1')).toBe('pass');
    }
  });

  it('caches only the hashed assets for long', () => {
    expect(isHashedAsset('/assets/index-abc.js')).toBe(true);
    expect(isHashedAsset('/index.html')).toBe(false);
  });
});
