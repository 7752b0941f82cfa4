import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../infra-env';
import { KeycloakAdmin } from './keycloak-admin';

const run = promisify(execFile);

/** Where and how to reach a running Keycloak (admin of its master realm). */
export interface KeycloakEnv {
  url: string;
  adminUser: string;
  adminPassword: string;
  /** Seconds from launch to ready, as the start script measured it (0 when it was already running). */
  readySeconds: number;
}

const SCRIPT = resolve(REPO_ROOT, 'scripts/keycloak.sh');
/** Unpacking, the first build (~50 s once per machine) and a start (~20–30 s) on a busy 2-core machine. */
const START_TIMEOUT_MS = 900_000;

/** The run folder of this test run's Keycloak (global-setup.ts sets PARLEY_TEST_RUN_ID and stops it). */
export function keycloakRunDir(runId: string): string {
  return join(REPO_ROOT, '.cache', 'keycloak-test', runId);
}

function parseEnv(text: string): KeycloakEnv {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const url = values.get('KEYCLOAK_URL');
  const adminPassword = values.get('KEYCLOAK_ADMIN_PASSWORD');
  if (!url || !adminPassword) throw new Error(`scripts/keycloak.sh up printed no URL:\n${text}`);
  return {
    url,
    adminUser: values.get('KEYCLOAK_ADMIN_USER') ?? 'admin',
    adminPassword,
    readySeconds: Number(values.get('KEYCLOAK_READY_SECONDS') ?? 0),
  };
}

/**
 * The Keycloak of this test run: started by the first test file that asks (scripts/keycloak.sh up,
 * under a lock, so parallel workers share one instance), reused by the others, stopped by the
 * integration project's global teardown. Outside a vitest run (no PARLEY_TEST_RUN_ID) the caller
 * gets a private instance and must `stopKeycloak(dir)` it.
 */
export async function sharedKeycloak(): Promise<{ env: KeycloakEnv; admin: KeycloakAdmin; runDir: string }> {
  const runId = process.env.PARLEY_TEST_RUN_ID ?? `private-${process.pid}`;
  const runDir = keycloakRunDir(runId);
  const { stdout } = await run('bash', [SCRIPT, 'up', runDir], { timeout: START_TIMEOUT_MS, maxBuffer: 1 << 20 });
  const env = parseEnv(stdout);
  return { env, admin: await KeycloakAdmin.connect(env), runDir };
}

/** Stops the instance of a run folder, if one runs there, and removes the folder. */
export async function stopKeycloak(runDir: string): Promise<void> {
  if (!existsSync(runDir)) return;
  if (existsSync(join(runDir, 'pid'))) await run('bash', [SCRIPT, 'down', runDir], { timeout: 60_000 });
  rmSync(runDir, { recursive: true, force: true });
}
