import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT, type InfraEnv } from './infra-env';
import { freePort } from './private-postgres';

export type PrivateComponent = 'kafka' | 'redis';

const PID_FILE: Record<PrivateComponent, string> = { kafka: 'kafka.pid', redis: 'redis.pid' };

/**
 * A private Kafka and/or Redis of a fault test's own, started by scripts/infra.sh with its own
 * state dir (INFRA_STATE_DIR) and free loopback ports, so a test can kill -9 and restart them
 * without touching the servers other engineers' tests use. Components not asked for are the shared
 * ones (passed to infra.sh as external, so it starts nothing for them).
 */
export class PrivateInfra {
  private constructor(
    private readonly stateDir: string,
    private readonly env: Record<string, string>,
    readonly urls: InfraEnv,
  ) {}

  static async start(shared: InfraEnv, components: readonly PrivateComponent[]): Promise<PrivateInfra> {
    const stateDir = mkdtempSync(join(tmpdir(), 'parley-infra-'));
    const env: Record<string, string> = {
      INFRA_STATE_DIR: stateDir,
      INFRA_PG_PORT: String(await freePort()),
      INFRA_REDIS_PORT: String(await freePort()),
      INFRA_KAFKA_PORT: String(await freePort()),
      INFRA_KAFKA_CONTROLLER_PORT: String(await freePort()),
      // A small heap: a private broker only carries one test's messages.
      INFRA_KAFKA_JAVA_OPTS: '-Xms128m -Xmx384m',
      DATABASE_URL: shared.DATABASE_URL,
    };
    if (!components.includes('redis')) env.REDIS_URL = shared.REDIS_URL;
    if (!components.includes('kafka')) env.KAFKA_BROKERS = shared.KAFKA_BROKERS;
    const urls: InfraEnv = {
      DATABASE_URL: shared.DATABASE_URL,
      REDIS_URL: env.REDIS_URL ?? `redis://127.0.0.1:${env.INFRA_REDIS_PORT}`,
      KAFKA_BROKERS: env.KAFKA_BROKERS ?? `127.0.0.1:${env.INFRA_KAFKA_PORT}`,
    };
    const infra = new PrivateInfra(stateDir, env, urls);
    infra.script('up');
    return infra;
  }

  private script(command: 'up' | 'down'): void {
    execFileSync('bash', [resolve(REPO_ROOT, 'scripts/infra.sh'), command], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: this.childEnv(),
      timeout: 180_000,
    });
  }

  /**
   * The shared servers' variables of the caller's environment must not leak in: infra.sh takes a
   * set KAFKA_BROKERS/REDIS_URL as "use that server" and would start nothing private.
   */
  private childEnv(): Record<string, string | undefined> {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS'].includes(key)),
    );
    return { ...env, ...this.env };
  }

  private pid(component: PrivateComponent): number | undefined {
    try {
      const pid = Number(readFileSync(join(this.stateDir, PID_FILE[component]), 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /** kill -9 of the private server, as a crash would; waits until the process is gone (≤ 10 s). */
  async kill(component: PrivateComponent): Promise<void> {
    const pid = this.pid(component);
    if (pid === undefined) throw new Error(`no private ${component} pid in ${this.stateDir}`);
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 200; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`private ${component} (pid ${pid}) did not exit after SIGKILL`);
  }

  /**
   * Starts whatever private server is not running (scripts/infra.sh up: bounded waits), without
   * blocking the event loop (traffic and probes go on meanwhile).
   */
  async restart(): Promise<void> {
    await promisify(execFile)('bash', [resolve(REPO_ROOT, 'scripts/infra.sh'), 'up'], {
      env: this.childEnv(),
      timeout: 180_000,
    });
  }

  destroy(): void {
    try {
      this.script('down');
    } catch {
      // already stopped
    }
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
