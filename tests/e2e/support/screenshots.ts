import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '@parley/testing';

/**
 * With PARLEY_SCREENSHOTS=1 (scripts/screenshots.sh), the page as it is now in light and dark,
 * English and Chinese, into docs/screenshots/ (and once at 360 px wide). Otherwise nothing.
 */
export async function capture(p: Page, name: string, mobile = false): Promise<void> {
  if (process.env.PARLEY_SCREENSHOTS !== '1') return;
  const dir = resolve(REPO_ROOT, 'docs/screenshots');
  mkdirSync(dir, { recursive: true });
  for (const locale of ['en', 'zh']) {
    await p.evaluate(`localStorage.setItem('parley.locale', '${locale}')`);
    await p.reload();
    await p.waitForLoadState('networkidle');
    for (const colorScheme of ['light', 'dark'] as const) {
      await p.emulateMedia({ colorScheme });
      await p.screenshot({ path: join(dir, `${name}-${colorScheme}-${locale}.png`) });
    }
  }
  if (mobile) {
    const size = p.viewportSize();
    await p.setViewportSize({ width: 360, height: 740 });
    await p.emulateMedia({ colorScheme: 'light' });
    await p.evaluate(`localStorage.setItem('parley.locale', 'en')`);
    await p.reload();
    await p.waitForLoadState('networkidle');
    await p.screenshot({ path: join(dir, `${name}-360px-light-en.png`) });
    if (size) await p.setViewportSize(size);
  }
  await p.evaluate(`localStorage.setItem('parley.locale', 'en')`);
  await p.emulateMedia({ colorScheme: 'light' });
  await p.reload();
  await p.waitForLoadState('networkidle');
}
