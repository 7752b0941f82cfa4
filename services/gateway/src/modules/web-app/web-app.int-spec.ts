import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startGateway, type RunningGateway } from '../../testing/start-gateway';

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head></html>';

/** A gateway serving a small build (index.html, a hashed asset, an unhashed file) on the real Redis and Kafka. */
describe('the gateway serves the web app', () => {
  let gateway: RunningGateway;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app")');
    writeFileSync(join(dir, 'robots.txt'), 'User-agent: *');
    gateway = await startGateway({ DEPLOYMENT_MODE: 'cloud', WEB_DIST_DIR: dir });
  });

  afterAll(async () => {
    await gateway?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, init?: RequestInit) => fetch(`${gateway.url}${path}`, init);

  it('serves index.html at / without caching, with a strict Content-Security-Policy', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(await res.text()).toBe(INDEX);
  });

  it('caches hashed assets for a year, immutable; other files revalidate', async () => {
    const asset = await get('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(await asset.text()).toBe('console.log("app")');
    const robots = await get('/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.headers.get('cache-control')).toBe('no-cache');
    const direct = await get('/index.html');
    expect(direct.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a current copy with 304 and no body: index.html, client-side routes and assets (ETag and Last-Modified)', async () => {
    for (const path of ['/', '/admin/members', '/assets/index-abc123.js', '/robots.txt']) {
      const first = await get(path);
      expect(first.status, path).toBe(200);
      const etag = first.headers.get('etag') ?? '';
      const lastModified = first.headers.get('last-modified') ?? '';
      expect(etag, path).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
      expect(lastModified, path).toMatch(/GMT$/);
      await first.arrayBuffer();

      const again = await get(path, { headers: { 'if-none-match': etag } });
      expect(again.status, path).toBe(304);
      expect(again.headers.get('etag'), path).toBe(etag);
      expect(again.headers.get('cache-control'), path).toBe(first.headers.get('cache-control'));
      expect(await again.text(), path).toBe('');

      const since = await get(path, { headers: { 'if-modified-since': lastModified } });
      expect(since.status, path).toBe(304);

      const changed = await get(path, { headers: { 'if-none-match': 'W/"0-0"' } });
      expect(changed.status, path).toBe(200);
      expect((await changed.text()).length, path).toBeGreaterThan(0);
    }
  });

  it('answers client-side routes with index.html (GET and HEAD)', async () => {
    for (const path of ['/c/0b7c6a52-8b39-4c52-9d0e-3f1f5b6e1a11', '/admin/members', '/sign-in', '/invite?token=x']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
      expect(await res.text(), path).toBe(INDEX);
    }
    const head = await get('/admin', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('never shadows /api, /health or /metrics: unknown API routes stay coded JSON 404s', async () => {
    for (const path of [
      '/api',
      '/api/v1/nope',
      '/api/v1/conversations-x',
      '/health/nope',
      '/metrics/nope',
      '/ws/nope',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toContain('application/json');
      expect((await json(res)).error.code, path).toBe('route_not_found');
    }
    const live = await get('/health/live');
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toContain('application/json');
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.headers.get('content-security-policy')).toBeNull();
    const api = await get('/api/v1/me');
    expect(api.status).toBe(401);
    expect((await json(api)).error.code).toBe('authentication_required');
  });

  it('does not answer a missing file with the app, nor another method, nor a path outside the build', async () => {
    const missing = await get('/assets/missing-000.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/json');
    const post = await get('/', { method: 'POST' });
    expect(post.status).toBe(404);
    expect((await json(post)).error.code).toBe('route_not_found');
    const traversal = await get('/assets/..%2f..%2fpackage.json');
    expect(traversal.status).not.toBe(200);
  });
});

describe('a gateway without a web build', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway({ DEPLOYMENT_MODE: 'cloud', WEB_DIST_DIR: join(tmpdir(), 'parley-no-such-build') });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('serves the API only: / is the coded 404', async () => {
    const res = await fetch(`${gateway.url}/`);
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('route_not_found');
  });
});
