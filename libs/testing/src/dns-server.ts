import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './infra-env';
import { freePort } from './private-postgres';
import { waitFor } from './wait-for';

/** Names under this zone are answered by the server alone (NXDOMAIN when unknown, never forwarded). */
export const TEST_DNS_ZONE = 'test';
const READY_NAME = `_ready.parley-dns.${TEST_DNS_ZONE}`;

/**
 * A real DNS server on loopback for tests: Debian's dnsmasq (installed on first use), authoritative
 * for `*.test`, with TXT records the test sets. dnsmasq reads TXT records only at start, so a change
 * restarts it (a few milliseconds) on the same port. Point a service at it with
 * `DNS_RESOLVERS=<address>`.
 */
export class DnsServer {
  private child: ChildProcess | undefined;
  private readonly records = new Map<string, string[]>();

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly binary: string,
  ) {}

  static async start(): Promise<DnsServer> {
    const binary = execFileSync(
      'bash',
      [resolve(REPO_ROOT, 'scripts/ensure-debian-packages.sh'), '/usr/sbin/dnsmasq', 'dnsmasq-base'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    ).trim();
    const server = new DnsServer(await freePort(), mkdtempSync(join(tmpdir(), 'parley-dns-')), binary);
    await server.restart();
    return server;
  }

  /** `ip:port`, as `DNS_RESOLVERS` takes it. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Publishes exactly these TXT strings at `name` (none: the name has no TXT record). */
  async setTxt(name: string, values: readonly string[]): Promise<void> {
    if (values.length === 0) this.records.delete(name);
    else this.records.set(name, [...values]);
    await this.restart();
  }

  /** Stops answering (a DNS outage) until `up()`. */
  async down(): Promise<void> {
    await this.kill();
  }

  async up(): Promise<void> {
    await this.restart();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async restart(): Promise<void> {
    await this.kill();
    const lines = [
      `port=${this.port}`,
      'listen-address=127.0.0.1',
      'bind-interfaces',
      'no-resolv',
      'no-hosts',
      'no-poll',
      `local=/${TEST_DNS_ZONE}/`,
      `txt-record=${READY_NAME},"ready"`,
      ...[...this.records].flatMap(([name, values]) =>
        values.map((value) => `txt-record=${name},"${value.replace(/["\\]/g, '\\$&')}"`),
      ),
    ];
    const conf = join(this.dir, 'dnsmasq.conf');
    writeFileSync(conf, `${lines.join('\n')}\n`);
    const child = spawn(this.binary, ['--keep-in-foreground', `--conf-file=${conf}`, '--user=root', '--pid-file='], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    this.child = child;
    const resolver = new Resolver({ timeout: 200, tries: 1 });
    resolver.setServers([this.address]);
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`dnsmasq exited with ${child.exitCode}: ${output}`);
        const answer = await resolver.resolveTxt(READY_NAME).catch(() => []);
        return answer.length > 0;
      },
      { what: 'dnsmasq answering', timeoutMs: 10_000 },
    );
  }

  private async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    child.kill('SIGKILL');
    await exited;
  }
}
