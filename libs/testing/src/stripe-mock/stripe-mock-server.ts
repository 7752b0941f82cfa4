import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../infra-env';

const run = promisify(execFile);

/** Where a running stripe-mock answers (plain HTTP on loopback). */
export interface StripeMockEnv {
  url: string;
  host: string;
  port: number;
}

const SCRIPT = resolve(REPO_ROOT, 'scripts/stripe-mock.sh');
/** The first `go install` (~1 min once per machine, longer on a busy 2-core machine) and a start (< 1 s). */
const START_TIMEOUT_MS = 900_000;

/** The run folder of this test run's stripe-mock (global-setup.ts sets PARLEY_TEST_RUN_ID and stops it). */
export function stripeMockRunDir(runId: string): string {
  return join(REPO_ROOT, '.cache', 'stripe-mock-test', runId);
}

function parseEnv(text: string): StripeMockEnv {
  const line = text.split('\n').find((l) => l.startsWith('STRIPE_MOCK_URL='));
  if (!line) throw new Error(`scripts/stripe-mock.sh up printed no URL:\n${text}`);
  const url = new URL(line.slice('STRIPE_MOCK_URL='.length).trim());
  return { url: url.origin, host: url.hostname, port: Number(url.port) };
}

/**
 * The stripe-mock of this test run: started by the first test file that asks (scripts/stripe-mock.sh
 * up, under a lock, so parallel workers share one instance), reused by the others, stopped by the
 * integration project's global teardown. It is stateless, so sharing it between files is safe.
 * Outside a vitest run (no PARLEY_TEST_RUN_ID) the caller gets a private instance and must
 * `stopStripeMock(dir)` it.
 */
export async function sharedStripeMock(): Promise<{ env: StripeMockEnv; runDir: string }> {
  const runId = process.env.PARLEY_TEST_RUN_ID ?? `private-${process.pid}`;
  const runDir = stripeMockRunDir(runId);
  const { stdout } = await run('bash', [SCRIPT, 'up', runDir], { timeout: START_TIMEOUT_MS, maxBuffer: 1 << 20 });
  return { env: parseEnv(stdout), runDir };
}

/** Stops the instance of a run folder, if one runs there, and removes the folder. */
export async function stopStripeMock(runDir: string): Promise<void> {
  if (!existsSync(runDir)) return;
  if (existsSync(join(runDir, 'pid'))) await run('bash', [SCRIPT, 'down', runDir], { timeout: 30_000 });
  rmSync(runDir, { recursive: true, force: true });
}
