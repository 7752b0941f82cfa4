import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT } from '@parley/testing';

/**
 * scripts/infra.sh on a private state directory and private ports, so the shared servers the rest of
 * the suite uses are never touched: up (cold and idempotent), status, env, down.
 */
describe('scripts/infra.sh', () => {
  const state = mkdtempSync(join(tmpdir(), 'parley-infra-'));
  let env: Record<string, string> = {};

  const run = (args: string[], extra: Record<string, string> = {}) =>
    spawnSync('bash', [resolve(REPO_ROOT, 'scripts/infra.sh'), ...args], {
      env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', KAFKA_BROKERS: '', ...env, ...extra },
      encoding: 'utf8',
      timeout: 180_000,
    });

  afterAll(() => {
    run(['down']);
    rmSync(state, { recursive: true, force: true });
  });

  it('starts real PostgreSQL, Redis and Kafka on the given ports, then does nothing the second time', async () => {
    env = {
      INFRA_STATE_DIR: state,
      INFRA_PG_PORT: String(await freePort()),
      INFRA_REDIS_PORT: String(await freePort()),
      INFRA_KAFKA_PORT: String(await freePort()),
      INFRA_KAFKA_CONTROLLER_PORT: String(await freePort()),
    };
    const first = run(['up']);
    expect(first.status, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toContain(`DATABASE_URL=postgres://parley:parley@127.0.0.1:${env.INFRA_PG_PORT}/parley`);
    expect(first.stdout).toContain(`REDIS_URL=redis://127.0.0.1:${env.INFRA_REDIS_PORT}`);
    expect(first.stdout).toContain(`KAFKA_BROKERS=127.0.0.1:${env.INFRA_KAFKA_PORT}`);
    const again = run(['up']);
    expect(again.status).toBe(0);
    expect(again.stdout + again.stderr).toMatch(/already running|running/);
    const status = run(['status']);
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/postgres\s+running/);
    expect(status.stdout).toMatch(/kafka\s+running/);
    expect(run(['env']).stdout).toContain(`KAFKA_BROKERS=127.0.0.1:${env.INFRA_KAFKA_PORT}`);
  });

  it('stops what it started and says so in status (exit 3)', () => {
    expect(run(['down']).status).toBe(0);
    const status = run(['status']);
    expect(status.status).toBe(3);
    expect(status.stdout).toMatch(/postgres\s+stopped/);
  });

  it('names what is missing instead of hanging when there is no usable JDK', () => {
    const other = mkdtempSync(join(tmpdir(), 'parley-infra-nojdk-'));
    try {
      const result = run(['up'], { INFRA_STATE_DIR: other, JAVA: '/nonexistent/java' });
      expect(result.status).toBe(1);
      expect(result.stderr + result.stdout).toContain('JAVA=/nonexistent/java is not an executable');
    } finally {
      run(['down'], { INFRA_STATE_DIR: other });
      rmSync(other, { recursive: true, force: true });
    }
  });
});
