import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './infra-env';

/**
 * A throw-away PostgreSQL server of its own (same binaries as scripts/infra.sh), for tests that
 * stop and restart the database under a running service without disturbing anything else.
 */
export class PrivatePostgres {
  private constructor(
    private readonly bindir: string,
    private readonly dataDir: string,
    readonly port: number,
    private readonly asUser: string | null,
  ) {}

  get url(): string {
    return `postgres://parley:parley@127.0.0.1:${this.port}/postgres`;
  }

  static async create(): Promise<PrivatePostgres> {
    const bindir =
      execFileSync('bash', [resolve(REPO_ROOT, 'scripts/infra.sh'), 'pg-bindir'], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .pop() ?? '';
    const root = mkdtempSync(join(tmpdir(), 'parley-pg-'));
    const dataDir = join(root, 'data');
    const asUser = process.getuid?.() === 0 ? 'postgres' : null;
    const pwfile = join(root, 'pw');
    writeFileSync(pwfile, 'parley\n');
    if (asUser) {
      const uid = Number(execFileSync('id', ['-u', asUser], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', asUser], { encoding: 'utf8' }).trim());
      chownSync(root, uid, gid);
      chownSync(pwfile, uid, gid);
    }
    const port = await freePort();
    const pg = new PrivatePostgres(bindir, dataDir, port, asUser);
    pg.exec('initdb', [
      '-D',
      dataDir,
      '-U',
      'parley',
      `--pwfile=${pwfile}`,
      '--auth=scram-sha-256',
      '--no-sync',
      '-E',
      'UTF8',
      '--no-locale',
    ]);
    writeFileSync(
      join(dataDir, 'postgresql.auto.conf'),
      `listen_addresses='127.0.0.1'\nport=${port}\nunix_socket_directories='${root}'\nfsync=off\nsynchronous_commit=off\nfull_page_writes=off\n`,
    );
    await pg.start();
    return pg;
  }

  private exec(binary: string, args: string[]): void {
    const command = join(this.bindir, binary);
    const result = this.asUser
      ? spawnSync('runuser', ['-u', this.asUser, '--', command, ...args], { encoding: 'utf8' })
      : spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${binary} failed: ${result.stderr || result.stdout}`);
  }

  async start(): Promise<void> {
    this.exec('pg_ctl', ['-D', this.dataDir, '-l', join(this.dataDir, 'server.log'), '-w', '-t', '30', 'start']);
  }

  async stop(): Promise<void> {
    this.exec('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop']);
  }

  async destroy(): Promise<void> {
    try {
      await this.stop();
    } catch {
      // already stopped
    }
    rmSync(join(this.dataDir, '..'), { recursive: true, force: true });
  }
}

/**
 * Ports for test servers: drawn uniformly at random from 20000–32767, below the kernel's ephemeral
 * range (32768–60999), so an outgoing connection's local port or a script's server (61000+, see
 * scripts/lib/test-server.sh) never takes one between the draw and the server's bind; never the same
 * port twice in one process; each checked by binding it. (The kernel's own `listen(0)` walks from a
 * random start to the first free port, so the ports right after a busy block come up far more often:
 * two processes drawing at once met on one in CI.)
 */
const PORT_FLOOR = 20000;
const PORT_SPAN = 12768;
const handedOut = new Set<number>();

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = PORT_FLOOR + Math.floor(Math.random() * PORT_SPAN);
    if (handedOut.has(port) || !(await canBind(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port found in ${PORT_FLOOR}–${PORT_FLOOR + PORT_SPAN - 1} after 200 draws`);
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)));
  });
}
