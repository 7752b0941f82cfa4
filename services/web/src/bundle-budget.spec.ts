import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const DIST = join(__dirname, '..', 'dist');
/** The budget of the first route: every script index.html loads before the app can draw. */
const FIRST_ROUTE_GZIP_BYTES = 250 * 1024;

describe('the production build (bash scripts/build.sh writes services/web/dist)', () => {
  it('keeps the JavaScript of the first route within 250 KB gzipped; chat and admin load on demand', () => {
    expect(existsSync(join(DIST, 'index.html')), 'run bash scripts/build.sh first').toBe(true);
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(DIST, file))).length, 0);
    expect(gzipped).toBeLessThanOrEqual(FIRST_ROUTE_GZIP_BYTES);
    // The heavy parts (markdown, highlighting) are not in the first route.
    const first = scripts.map((file) => readFileSync(join(DIST, file), 'utf8')).join('\n');
    expect(first).not.toContain('registerLanguage');
    console.log(`first route: ${(gzipped / 1024).toFixed(1)} KB gzipped in ${scripts.length} file(s)`);
  });

  it('has no inline script or style that the Content-Security-Policy would refuse', () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style\b|\sstyle="/);
  });
});
