import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../infra-env';

const run = promisify(execFile);

/** Where a running Jaeger takes spans (OTLP/HTTP base URL) and answers queries. */
export interface JaegerEnv {
  /** Base URL of the OTLP/HTTP receiver: services get it as OTEL_EXPORTER_OTLP_ENDPOINT. */
  otlpUrl: string;
  /** Base URL of the query API (`/api/traces/{id}`, `/api/services`). */
  queryUrl: string;
}

const SCRIPT = resolve(REPO_ROOT, 'scripts/jaeger.sh');
/** The first build from the Go module proxy takes minutes on a busy 2-core machine; a start takes seconds. */
const START_TIMEOUT_MS = 3_600_000;

/** The run folder of this test run's Jaeger (global-setup.ts sets PARLEY_TEST_RUN_ID and stops it). */
export function jaegerRunDir(runId: string): string {
  return join(REPO_ROOT, '.cache', 'jaeger-test', runId);
}

function parseEnv(text: string): JaegerEnv {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const otlpUrl = values.get('JAEGER_OTLP_URL');
  const queryUrl = values.get('JAEGER_QUERY_URL');
  if (!otlpUrl || !queryUrl) throw new Error(`scripts/jaeger.sh up printed no URLs:\n${text}`);
  return { otlpUrl, queryUrl };
}

/**
 * The Jaeger of this test run: started by the first test file that asks (scripts/jaeger.sh up, under
 * a lock, so parallel workers share one instance), reused by the others, stopped by the integration
 * project's global teardown. Outside a vitest run the caller gets a private instance and must
 * `stopJaeger(dir)` it. Traces are in memory: each test finds its own by trace id.
 */
export async function sharedJaeger(): Promise<{ env: JaegerEnv; runDir: string }> {
  const runId = process.env.PARLEY_TEST_RUN_ID ?? `private-${process.pid}`;
  const runDir = jaegerRunDir(runId);
  const { stdout } = await run('bash', [SCRIPT, 'up', runDir], { timeout: START_TIMEOUT_MS, maxBuffer: 1 << 20 });
  return { env: parseEnv(stdout), runDir };
}

/** Stops the instance of a run folder, if one runs there, and removes the folder. */
export async function stopJaeger(runDir: string): Promise<void> {
  if (!existsSync(runDir)) return;
  if (existsSync(join(runDir, 'pid'))) await run('bash', [SCRIPT, 'down', runDir], { timeout: 60_000 });
  rmSync(runDir, { recursive: true, force: true });
}
