import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'ldapts';
import { REPO_ROOT } from './infra-env';
import { freePort } from './private-postgres';
import { waitFor } from './wait-for';

const SLAPD = '/usr/sbin/slapd';
const PRESEED = 'slapd slapd/no_configuration boolean true';

/** A person in the test directory. */
export interface LdapPerson {
  uid: string;
  mail: string;
  name: string;
  password: string;
}

/**
 * A real OpenLDAP directory for tests: Debian's slapd (installed on first use) on loopback, with an
 * mdb database in a private folder, the memberof overlay, and TLS (a self-signed certificate for
 * 127.0.0.1, so StartTLS and ldaps can be tested with the CA pinned). Base `dc=acme,dc=test`,
 * people under `ou=people`, groups (`groupOfNames`) under `ou=groups`; the manager
 * `cn=admin,dc=acme,dc=test` binds with `adminPassword`.
 */
export class LdapServer {
  readonly baseDn = 'dc=acme,dc=test';
  readonly adminDn = 'cn=admin,dc=acme,dc=test';
  readonly adminPassword = 'directory-manager-secret';
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly tlsPort: number,
    private readonly dir: string,
    /** The PEM certificate slapd presents (its own CA): a client trusts it explicitly. */
    readonly caCertificate: string,
  ) {}

  static async start(): Promise<LdapServer> {
    execFileSync('bash', [resolve(REPO_ROOT, 'scripts/ensure-debian-packages.sh'), SLAPD, 'slapd'], {
      env: { ...process.env, DEBCONF_PRESEED: PRESEED },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const dir = mkdtempSync(join(tmpdir(), 'parley-ldap-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const server = new LdapServer(
      await freePort(),
      await freePort(),
      dir,
      execFileSync('cat', [join(dir, 'cert.pem')], { encoding: 'utf8' }),
    );
    await server.boot();
    await server.seed();
    return server;
  }

  get url(): string {
    return `ldap://127.0.0.1:${this.port}`;
  }

  get tlsUrl(): string {
    return `ldaps://127.0.0.1:${this.tlsPort}`;
  }

  /** Adds a person and returns their DN. */
  async addPerson(person: LdapPerson): Promise<string> {
    const dn = `uid=${person.uid},ou=people,${this.baseDn}`;
    await this.asAdmin((client) =>
      client.add(dn, {
        objectClass: ['inetOrgPerson'],
        uid: person.uid,
        cn: person.name,
        sn: person.name.split(' ').pop() ?? person.name,
        mail: person.mail,
        userPassword: person.password,
      }),
    );
    return dn;
  }

  /** Creates (or replaces the members of) a group; memberOf follows on each member. */
  async setGroup(name: string, memberDns: readonly string[]): Promise<string> {
    const dn = `cn=${name},ou=groups,${this.baseDn}`;
    await this.asAdmin(async (client) => {
      await client.del(dn).catch(() => undefined);
      await client.add(dn, { objectClass: ['groupOfNames'], cn: name, member: [...memberDns] });
    });
    return dn;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async boot(): Promise<void> {
    mkdirSync(join(this.dir, 'db'));
    const conf = join(this.dir, 'slapd.conf');
    writeFileSync(
      conf,
      [
        ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include /etc/ldap/schema/${s}.schema`),
        'modulepath /usr/lib/ldap',
        'moduleload back_mdb',
        'moduleload memberof',
        `pidfile ${join(this.dir, 'slapd.pid')}`,
        `TLSCertificateFile ${join(this.dir, 'cert.pem')}`,
        `TLSCertificateKeyFile ${join(this.dir, 'key.pem')}`,
        'database mdb',
        `suffix "${this.baseDn}"`,
        `rootdn "${this.adminDn}"`,
        `rootpw ${this.adminPassword}`,
        `directory ${join(this.dir, 'db')}`,
        'maxsize 67108864',
        'index mail,uid eq',
        'overlay memberof',
        '',
      ].join('\n'),
    );
    let output = '';
    const child = spawn(SLAPD, ['-f', conf, '-h', `${this.url}/ ${this.tlsUrl}/`, '-d', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    this.child = child;
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode}: ${output}`);
        return this.asAdmin(async () => true).catch(() => false);
      },
      { what: 'slapd answering', timeoutMs: 15_000 },
    );
  }

  private async seed(): Promise<void> {
    await this.asAdmin(async (client) => {
      await client.add(this.baseDn, { objectClass: ['dcObject', 'organization'], dc: 'acme', o: 'Acme' });
      await client.add(`ou=people,${this.baseDn}`, { objectClass: ['organizationalUnit'], ou: 'people' });
      await client.add(`ou=groups,${this.baseDn}`, { objectClass: ['organizationalUnit'], ou: 'groups' });
    });
  }

  private async asAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ url: this.url, timeout: 5000, connectTimeout: 2000 });
    try {
      await client.bind(this.adminDn, this.adminPassword);
      return await work(client);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}
