import 'reflect-metadata';
import { randomInt } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { loadConfig, type AppConfig } from '@parley/config';
import { createLogger } from '@parley/observability';
import { PlatformProcesses, serviceCredentialHeaders, uniqueSuffix } from '@parley/testing';
import { createAuthApp } from '../create-app';
import { SmtpSink, tokenFromMail } from './smtp-sink';

/** The password of people who joined through `join()`. */
export const JOINER_PASSWORD = 'joiner password 123';

/** A parsed JSON response. Tests assert bodies field by field. */
export interface HttpResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
  body: any;
  retryAfter: string | null;
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
 * its own process (it answers tenant.create.v1 and owns control.tenants), a real SMTP sink, and the
 * auth app in-process in cloud mode on a free port. Auth trusts one proxy hop, as behind the
 * gateway, and every request carries this stack's own client address in X-Forwarded-For, so the
 * per-address sign-in lockout (in the shared Redis) never mixes test files or runs.
 */
export class AuthStack {
  private readonly replicas: INestApplication[] = [];
  /** The client address requests come from, unless a request names another. */
  readonly clientIp = `10.${randomOctet()}.${randomOctet()}.${randomOctet()}`;

  private constructor(
    readonly config: AppConfig,
    readonly app: INestApplication,
    readonly base: string,
    /** The tenant service as its own process, and the test database. */
    readonly platform: PlatformProcesses,
    /** A direct connection to the test database, to inspect and arrange rows. */
    readonly pg: Client,
    /** Every mail auth sends arrives here. */
    readonly mail: SmtpSink,
  ) {}

  static async start(extra: Record<string, string> = {}): Promise<AuthStack> {
    // The tenant service migrates the control plane, which sign-in reads; ready before auth starts.
    const platform = await PlatformProcesses.start({
      services: ['tenant'],
      env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
      topicPrefix: `auth${uniqueSuffix()}.`,
    });
    const db = platform.db;
    let mail: SmtpSink | undefined;
    try {
      mail = await SmtpSink.start();
      const config = loadConfig('auth', {
        ...platform.env,
        PORT: '0',
        HTTP_BODY_LIMIT_BYTES: '4096',
        SMTP_URL: mail.url,
        PUBLIC_URL: 'http://app.test',
        TRUST_PROXY_HOPS: '1',
        MAIL_TIMEOUT_MS: '2000',
        MAIL_RETRY_INTERVAL_MS: '200',
        ...extra,
      });
      const app = await createAuthApp(config, createLogger('auth', 'silent'));
      await app.listen(0, '127.0.0.1');
      const pg = new Client({ connectionString: db.url });
      await pg.connect();
      return new AuthStack(config, app, await app.getUrl(), platform, pg, mail);
    } catch (error) {
      await mail?.stop();
      await platform.stop();
      throw error;
    }
  }

  /** Another auth instance on the same database and topics (a second replica); returns its URL. */
  async replica(): Promise<string> {
    // Its own instance id, as a real replica has: bus replies are routed by instance.
    const config = { ...this.config, instanceId: `${this.config.instanceId}-r${this.replicas.length + 1}` };
    const app = await createAuthApp(config, createLogger('auth', 'silent'));
    this.replicas.push(app);
    await app.listen(0, '127.0.0.1');
    return app.getUrl();
  }

  async stop(): Promise<void> {
    for (const replica of this.replicas) await replica.close();
    await this.pg.end();
    await this.app.close();
    await this.mail.stop();
    await this.platform.stop();
  }

  /** POSTs a JSON value, or a raw string as it is (malformed JSON, NUL bytes). */
  post(path: string, body: unknown, token?: string): Promise<HttpResult> {
    return this.request('POST', path, typeof body === 'string' ? body : JSON.stringify(body), token);
  }

  get(path: string, token?: string): Promise<HttpResult> {
    return this.request('GET', path, undefined, token);
  }

  patch(path: string, body: unknown, token?: string): Promise<HttpResult> {
    return this.request('PATCH', path, JSON.stringify(body), token);
  }

  delete(path: string, token?: string): Promise<HttpResult> {
    return this.request('DELETE', path, undefined, token);
  }

  request(method: string, path: string, body?: string, token?: string, base = this.base): Promise<HttpResult> {
    return this.send(method, path, { body, token, base });
  }

  /** Any request: a raw body, a token, another replica, another client address, extra headers. */
  async send(
    method: string,
    path: string,
    options: { body?: string; token?: string; base?: string; ip?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult> {
    const headers: Record<string, string> = {
      'x-forwarded-for': options.ip ?? this.clientIp,
      // Internal routes answer other services only: this stack calls them as the gateway would.
      ...(path.startsWith('/internal/') ? await serviceCredentialHeaders() : {}),
      ...options.headers,
    };
    const body = options.body;
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const res = await fetch(`${options.base ?? this.base}${path}`, { method, headers, body });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? (JSON.parse(text) as unknown) : undefined,
      retryAfter: res.headers.get('retry-after'),
    };
  }

  /**
   * Brings a new person into the inviter's tenant with a role, as a client would: invite, the link
   * from the mail in the sink, accept. Returns their session; throws unless each step succeeds.
   */
  async join(inviter: Session, role: string, email = `member-${uniqueSuffix()}@example.com`): Promise<Session> {
    const invite = await this.post('/auth/invites', { email, role }, inviter.accessToken);
    if (invite.status !== 201) throw new Error(`invite answered ${invite.status}: ${JSON.stringify(invite.body)}`);
    const token = tokenFromMail(await this.mail.waitForMail(email));
    const res = await this.post('/auth/invites/accept', { token, name: 'Joiner', password: JOINER_PASSWORD });
    if (res.status !== 200) throw new Error(`accept answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Session;
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

function randomOctet(): number {
  return randomInt(1, 255);
}
