import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { freePort, PlatformProcesses, waitFor } from '@parley/testing';
import { SmtpSinkProcess } from './smtp-sink-process';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
type Body = any;

export interface Answer {
  status: number;
  body: Body;
}

export interface Member {
  tenantId: string;
  userId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/**
 * The gateway, auth, tenant and chat-orchestrator (and analytics when asked) as processes (cloud
 * mode) with an SMTP sink, and
 * the client calls the edge tests make through the gateway: sign up an owner, invite and join a
 * member with a role, call any route with a token.
 */
export class EdgeStack {
  private constructor(
    readonly platform: PlatformProcesses,
    readonly mail: SmtpSinkProcess,
  ) {}

  static async start(
    options: { env?: Record<string, string>; authEnv?: Record<string, string>; analytics?: boolean } = {},
  ): Promise<EdgeStack> {
    const mail = await SmtpSinkProcess.start(await freePort());
    try {
      const platform = await PlatformProcesses.start({
        services: [
          'tenant',
          'auth',
          'chat-orchestrator',
          'gateway',
          ...(options.analytics ? ['analytics' as const] : []),
        ],
        env: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000', ...options.env },
        serviceEnv: {
          auth: { TRUST_PROXY_HOPS: '1', SMTP_URL: `smtp://127.0.0.1:${mail.port}`, ...options.authEnv },
        },
      });
      return new EdgeStack(platform, mail);
    } catch (error) {
      await mail.stop();
      throw error;
    }
  }

  get api(): string {
    return this.platform.url('gateway');
  }

  async stop(): Promise<void> {
    await this.platform.stop();
    await this.mail.stop();
  }

  async call(
    path: string,
    init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string>; base?: string } = {},
  ): Promise<Answer & { headers: Headers }> {
    const res = await fetch(`${init.base ?? this.api}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        'content-type': 'application/json',
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  /** A new tenant and its owner. */
  async signUp(): Promise<Member> {
    const slug = `edge-${randomUUID().slice(0, 8)}`;
    const email = `owner@${slug}.test`;
    const password = 'correct horse battery';
    const res = await this.call('/api/v1/auth/sign-up', {
      method: 'POST',
      body: { organizationName: slug, organizationSlug: slug, email, password, name: slug },
    });
    expect(res.status).toBe(201);
    return {
      tenantId: res.body.tenant.id,
      userId: res.body.user.id,
      email,
      password,
      accessToken: res.body.accessToken,
      refreshToken: res.body.refreshToken,
    };
  }

  /** Invites a new person with this role into the owner's tenant; they join through the mailed link. */
  async join(owner: Member, role: 'admin' | 'member'): Promise<Member> {
    const email = `${role}-${randomUUID().slice(0, 8)}@edge.test`;
    const password = 'another good passphrase';
    const invite = await this.call('/api/v1/auth/invites', {
      method: 'POST',
      token: owner.accessToken,
      body: { email, role },
    });
    expect(invite.status).toBe(201);
    const message = await waitFor(() => this.mail.messages().find((m) => m.to.includes(email)), {
      what: 'invite mail',
    });
    const token = decodeURIComponent(/invite\?token=([A-Za-z0-9_\-.~%]+)/.exec(message.text)?.[1] ?? '');
    const joined = await this.call('/api/v1/auth/invites/accept', {
      method: 'POST',
      body: { token, name: role, password },
    });
    expect(joined.status).toBe(200);
    return {
      tenantId: owner.tenantId,
      userId: joined.body.user.id,
      email,
      password,
      accessToken: joined.body.accessToken,
      refreshToken: joined.body.refreshToken,
    };
  }
}
