import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ServiceName } from '@parley/config';
import { REPO_ROOT } from './infra-env';
import { waitFor } from './wait-for';

/** The tail of a process's output kept in memory (benchmarks save it with `--logs` to profile a run). */
const OUTPUT_KEPT = 2_000_000;

/** A built service run as its own process, the way `npm start` and containers run it. */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  output = '';

  constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The process id while it runs (benchmarks read its CPU time from /proc). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  static entry(name: ServiceName): string {
    const entry = resolve(REPO_ROOT, `services/${name}/dist/main.js`);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
    return entry;
  }

  /** Spawns the process; `overrides` add to its variables for this start only (e.g. a restart as Kubernetes runs it). */
  start(overrides: Record<string, string> = {}): this {
    // SERVICE_NODE_ARGS: extra node flags for every spawned service, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
    const nodeArgs = (process.env.SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, ServiceProcess.entry(this.name)], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: String(this.port), ...this.env, ...overrides },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    this.child = child;
    return this;
  }

  async waitReady(timeoutMs = 60_000): Promise<void> {
    await waitFor(
      async () => {
        if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) {
          throw new Error(`${this.name} exited with ${this.child.exitCode}:\n${this.output.slice(-3000)}`);
        }
        const res = await fetch(`${this.url}/health/ready`).catch(() => undefined);
        return res?.status === 200;
      },
      { timeoutMs, intervalMs: 200, what: `${this.name} ready` },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- ${this.name} output ---\n${this.output.slice(-3000)}`);
    });
  }

  /** Sends a signal to the process (e.g. SIGSTOP/SIGCONT to freeze it like a stalled node). */
  signal(signal: NodeJS.Signals): void {
    if (!this.child || this.child.exitCode !== null) throw new Error(`${this.name} is not running`);
    this.child.kill(signal);
  }

  /** Resolves with the exit code. */
  waitExit(): Promise<number | null> {
    return this.exited ?? Promise.resolve(null);
  }

  /** SIGTERM, then the exit code (a clean shutdown exits 0). */
  async stop(): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 20_000);
    const code = await this.waitExit();
    clearTimeout(timer);
    return code;
  }
}
