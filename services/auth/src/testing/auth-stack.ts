import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { loadConfig, type AppConfig } from '@parley/config';
import { createLogger } from '@parley/observability';
import {
  createTestDatabase,
  freePort,
  ServiceProcess,
  testEnv,
  uniqueSuffix,
  type TestDatabase,
} from '@parley/testing';
import { createAuthApp } from '../create-app';

/** A parsed JSON response. Tests assert bodies field by field. */
export interface HttpResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
  body: any;
}

export interface SignUpInput {
  organizationName: string;
  organizationSlug: string;
  email: string;
  password: string;
  name: string;
}

export interface Session {
  user: { id: string; email: string; name: string };
  tenant: { id: string; slug: string; name: string; plan: string };
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/**
 * Test harness of the auth service: a fresh database and topic prefix, the built tenant service as
 * its own process (it answers tenant.create.v1 and owns control.tenants), and the auth app
 * in-process in cloud mode on a free port.
 */
export class AuthStack {
  private readonly replicas: INestApplication[] = [];

  private constructor(
    private readonly config: AppConfig,
    readonly app: INestApplication,
    readonly base: string,
    readonly db: TestDatabase,
    readonly tenant: ServiceProcess,
    /** A direct connection to the test database, to inspect and arrange rows. */
    readonly pg: Client,
  ) {}

  static async start(extra: Record<string, string> = {}): Promise<AuthStack> {
    const db = await createTestDatabase();
    const env = testEnv({
      databaseUrl: db.url,
      topicPrefix: `auth${uniqueSuffix()}.`,
      extra: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
    });
    const tenant = new ServiceProcess('tenant', await freePort(), env).start();
    try {
      await tenant.waitReady(90_000); // it migrates the control plane, which sign-in reads
      const config = loadConfig('auth', { ...env, PORT: '0', HTTP_BODY_LIMIT_BYTES: '4096', ...extra });
      const app = await createAuthApp(config, createLogger('auth', 'silent'));
      await app.listen(0, '127.0.0.1');
      const pg = new Client({ connectionString: db.url });
      await pg.connect();
      return new AuthStack(config, app, await app.getUrl(), db, tenant, pg);
    } catch (error) {
      await tenant.stop();
      await db.drop();
      throw error;
    }
  }

  /** Another auth instance on the same database and topics (a second replica); returns its URL. */
  async replica(): Promise<string> {
    const app = await createAuthApp(this.config, createLogger('auth', 'silent'));
    this.replicas.push(app);
    await app.listen(0, '127.0.0.1');
    return app.getUrl();
  }

  async stop(): Promise<void> {
    for (const replica of this.replicas) await replica.close();
    await this.pg.end();
    await this.app.close();
    await this.tenant.stop();
    await this.db.drop();
  }

  /** POSTs a JSON value, or a raw string as it is (malformed JSON, NUL bytes). */
  post(path: string, body: unknown, token?: string): Promise<HttpResult> {
    return this.request('POST', path, typeof body === 'string' ? body : JSON.stringify(body), token);
  }

  get(path: string, token?: string): Promise<HttpResult> {
    return this.request('GET', path, undefined, token);
  }

  async request(method: string, path: string, body?: string, token?: string, base = this.base): Promise<HttpResult> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${base}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** Signs up a new organisation and its owner; throws unless the answer is 201. */
  async signUp(overrides: Partial<SignUpInput> = {}): Promise<Session> {
    const suffix = uniqueSuffix();
    const input: SignUpInput = {
      organizationName: `Org ${suffix}`,
      organizationSlug: `org-${suffix}`,
      email: `owner-${suffix}@example.com`,
      password: 'correct horse battery staple',
      name: 'Owner',
      ...overrides,
    };
    const res = await this.post('/auth/sign-up', input);
    if (res.status !== 201) throw new Error(`sign-up answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Session;
  }
}
