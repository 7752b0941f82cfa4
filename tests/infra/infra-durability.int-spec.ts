import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, infra, REPO_ROOT } from '@parley/testing';

/**
 * Issue 11, defect 9: `npm start`'s Postgres keeps what it acknowledges (fsync, synchronous_commit
 * and full_page_writes on); only the test suite asks for the fast settings
 * (INFRA_PG_DURABILITY=fast). A private Postgres from scripts/infra.sh (own state dir and port; the
 * shared Redis and Kafka are passed as external, so nothing else starts).
 */
describe('scripts/infra.sh Postgres durability', () => {
  const state = mkdtempSync(join(tmpdir(), 'parley-infra-pg-'));
  let port = 0;

  const run = (args: string[], extra: Record<string, string> = {}) =>
    spawnSync('bash', [resolve(REPO_ROOT, 'scripts/infra.sh'), ...args], {
      env: {
        ...process.env,
        INFRA_PG_DURABILITY: '',
        DATABASE_URL: '',
        REDIS_URL: infra().REDIS_URL,
        KAFKA_BROKERS: infra().KAFKA_BROKERS,
        INFRA_STATE_DIR: state,
        INFRA_PG_PORT: String(port),
        ...extra,
      },
      encoding: 'utf8',
      timeout: 180_000,
    });

  const settings = async () => {
    const client = new Client({ connectionString: `postgres://parley:parley@127.0.0.1:${port}/parley` });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; setting: string }>(
        `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes') ORDER BY name`,
      );
      return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
    } finally {
      await client.end();
    }
  };

  afterAll(() => {
    run(['down']);
    rmSync(state, { recursive: true, force: true });
  });

  it('is durable by default, fast only when asked, and switches a running server by reloading it', async () => {
    port = await freePort();
    const up = run(['up'], { INFRA_PG_DURABILITY: '' });
    expect(up.status, up.stderr + up.stdout).toBe(0);
    const durable = { fsync: 'on', full_page_writes: 'on', synchronous_commit: 'on' };
    expect(await settings()).toEqual(durable);

    const fast = run(['up'], { INFRA_PG_DURABILITY: 'fast' });
    expect(fast.status, fast.stderr + fast.stdout).toBe(0);
    expect(await settings()).toEqual({ fsync: 'off', full_page_writes: 'off', synchronous_commit: 'off' });

    const back = run(['up']);
    expect(back.status).toBe(0);
    expect(await settings()).toEqual(durable);
  });

  it('refuses an unknown durability mode by name', () => {
    const bad = run(['up'], { INFRA_PG_DURABILITY: 'sometimes' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('INFRA_PG_DURABILITY');
  });
});
