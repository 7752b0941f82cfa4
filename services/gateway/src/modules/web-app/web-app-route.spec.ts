import { describe, expect, it } from 'vitest';
import { classifyWebRequest, fileValidators, isHashedAsset, isNotModified, isReservedPath } from './web-app-route';

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

describe('revalidating a file of the build', () => {
  const validators = fileValidators(1234, Date.UTC(2026, 0, 2, 3, 4, 5, 678));

  it('names the file by size and time (weak), and its time in whole seconds', () => {
    expect(validators.etag).toBe(`W/"4d2-${Date.UTC(2026, 0, 2, 3, 4, 5, 678).toString(16)}"`);
    expect(validators.lastModified).toBe('Fri, 02 Jan 2026 03:04:05 GMT');
  });

  it('is current for a matching If-None-Match (weak comparison, lists, *), and not for another tag', () => {
    const opaque = validators.etag.slice(2);
    expect(isNotModified(validators.etag, undefined, validators)).toBe(true);
    expect(isNotModified(opaque, undefined, validators)).toBe(true);
    expect(isNotModified(`"other", ${validators.etag}`, undefined, validators)).toBe(true);
    expect(isNotModified('*', undefined, validators)).toBe(true);
    expect(isNotModified('W/"4d2-0"', undefined, validators)).toBe(false);
    // If-None-Match decides alone: a later If-Modified-Since does not make a changed file current.
    expect(isNotModified('"other"', 'Sat, 03 Jan 2026 00:00:00 GMT', validators)).toBe(false);
  });

  it('without If-None-Match, is current for an If-Modified-Since at or after the file time', () => {
    expect(isNotModified(undefined, 'Fri, 02 Jan 2026 03:04:05 GMT', validators)).toBe(true);
    expect(isNotModified(undefined, 'Fri, 02 Jan 2026 03:04:04 GMT', validators)).toBe(false);
    expect(isNotModified(undefined, 'not a date', validators)).toBe(false);
    expect(isNotModified(undefined, undefined, validators)).toBe(false);
  });
});
