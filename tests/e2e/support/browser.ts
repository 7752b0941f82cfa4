import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from '@parley/testing';

/** Flags that make Debian's Chromium work headless on a machine without a GPU, sandbox or network. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RunningBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Debian's Chromium driven by playwright-core (its own browser download cannot work offline).
 * scripts/ensure-chromium.sh installs it on first use (idempotent, cached by apt). `extraArgs`: more
 * flags, e.g. a fake microphone (`--use-fake-device-for-media-stream --use-file-for-fake-audio-capture=<wav>`).
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<RunningBrowser> {
  const executablePath = execFileSync('bash', [resolve(REPO_ROOT, 'scripts/ensure-chromium.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  }).trim();
  // playwright gives each launch a fresh temporary profile (its --user-data-dir) and removes it after.
  const browser = await chromium.launch({ executablePath, headless: true, args: [...FLAGS, ...extraArgs] });
  return { browser, close: () => browser.close() };
}

const AXE = readFileSync(resolve(REPO_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** The first offending elements (CSS selectors), to find them. */
  targets: string[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. The script goes in through
 * the DevTools protocol (page.evaluate), which the page's Content-Security-Policy does not govern.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate<AxeViolation[]>(`axe
    .run(document, { resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => String(n.target)) })))`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export interface SignUpFields {
  organisation: string;
  slug: string;
  name: string;
  email: string;
  password: string;
}

/**
 * Fills the sign-up form of a page already at `/sign-up` and submits it, as a person does; resolves
 * with the API's answer (the first session's access token and the new tenant).
 */
export async function submitSignUp(
  page: Page,
  fields: SignUpFields,
): Promise<{ accessToken: string; tenant: { id: string } }> {
  await page.getByLabel('Organisation name').fill(fields.organisation);
  await page.getByLabel('Organisation address (a-z, 0-9, -)').fill(fields.slug);
  await page.getByLabel('Your name').fill(fields.name);
  await page.getByLabel('Email').fill(fields.email);
  await page.getByLabel('New password (at least 10 characters)').fill(fields.password);
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/sign-up'));
  await page.getByRole('button', { name: 'Create account' }).click();
  return (await answered).json() as Promise<{ accessToken: string; tenant: { id: string } }>;
}
