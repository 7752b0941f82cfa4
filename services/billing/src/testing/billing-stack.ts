import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '@parley/config';
import { createLogger } from '@parley/observability';
import { createDataSource, migrateControlPlane } from '@parley/tenancy';
import {
  createTestDatabase,
  internalPrincipalHeaders,
  sharedStripeMock,
  StripeRecorder,
  testEnv,
  uniqueSuffix,
  type TestDatabase,
} from '@parley/testing';
import { createBillingApp } from '../create-app';

/** An HTTP answer with its parsed JSON body (asserted field by field). */
export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
  body: any;
}

export interface Caller {
  tenantId: string;
  userId?: string;
  apiKeyId?: string;
  role?: 'owner' | 'admin' | 'member' | 'billing';
}

export const WEBHOOK_SECRET = 'whsec_parleytestcurrent0001';
export const PREVIOUS_WEBHOOK_SECRET = 'whsec_parleytestprevious0001';
export const PRICES = {
  free: 'price_parleyFree',
  pro: 'price_parleyPro',
  enterprise: 'price_parleyEnterprise',
  seat: 'price_parleySeat',
  tokens: 'price_parleyTokens',
  audio: 'price_parleyAudio',
} as const;

/** The billing environment of a test: stripe-mock behind the recorder, two webhook secrets, every price. */
export function billingTestEnv(stripeApiBase: string): Record<string, string> {
  return {
    BILLING_ENABLED: 'true',
    STRIPE_SECRET_KEY: 'sk_test_parley123',
    STRIPE_API_BASE: stripeApiBase,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_WEBHOOK_SECRET_PREVIOUS: PREVIOUS_WEBHOOK_SECRET,
    STRIPE_PRICE_ID_FREE: PRICES.free,
    STRIPE_PRICE_ID_PRO: PRICES.pro,
    STRIPE_PRICE_ID_ENTERPRISE: PRICES.enterprise,
    STRIPE_PRICE_ID_SEAT: PRICES.seat,
    STRIPE_PRICE_ID_TOKENS: PRICES.tokens,
    STRIPE_PRICE_ID_AUDIO_SECONDS: PRICES.audio,
    BILLING_METER_INTERVAL_MS: '50',
    BILLING_METER_RETRY_BASE_MS: '20',
    BILLING_RECONCILE_INTERVAL_MS: '0',
  };
}

/**
 * The billing service in-process on the real Postgres, Redis and Kafka, its Stripe client on
 * stripe-mock through a StripeRecorder, with a fresh database (control plane migrated: the outbox).
 */
export class BillingStack {
  private readonly replicas: INestApplication[] = [];

  private constructor(
    readonly config: AppConfig,
    readonly app: INestApplication,
    readonly base: string,
    readonly db: TestDatabase,
    readonly pg: DataSource,
    readonly recorder: StripeRecorder,
    readonly topicPrefix: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<BillingStack> {
    const { env: mock } = await sharedStripeMock();
    const recorder = await StripeRecorder.start(mock);
    const db = await createTestDatabase();
    const pg = createDataSource({ url: db.url, poolMax: 4, ssl: false }, 'billing-int-spec');
    await pg.initialize();
    await migrateControlPlane(pg);
    const topicPrefix = `billing${uniqueSuffix()}.`;
    const config = loadConfig('billing', {
      ...testEnv({ databaseUrl: db.url, topicPrefix }),
      PORT: '0',
      ...billingTestEnv(recorder.url),
      ...env,
    });
    const app = await createBillingApp(config, createLogger('billing', config.logLevel));
    await app.listen(0, '127.0.0.1');
    return new BillingStack(config, app, await app.getUrl(), db, pg, recorder, topicPrefix);
  }

  /** Another billing instance on the same database, Redis and topics (a second replica). */
  async replica(): Promise<INestApplication> {
    const config = { ...this.config, instanceId: `${this.config.instanceId}-r${this.replicas.length + 1}` };
    const app = await createBillingApp(config, createLogger('billing', config.logLevel));
    this.replicas.push(app);
    await app.listen(0, '127.0.0.1');
    return app;
  }

  async stop(): Promise<void> {
    for (const replica of this.replicas) await replica.close();
    await this.app.close();
    await this.recorder.close();
    await this.pg.destroy();
    await this.db.drop();
  }

  /** A client of the same stripe-mock (for what a test arranges on "Stripe" itself). */
  stripe(): Stripe {
    return new Stripe('sk_test_parley123', { host: '127.0.0.1', port: this.recorder.port, protocol: 'http' });
  }

  caller(role: Caller['role'] = 'owner', tenantId: string = randomUUID()): Caller {
    return { tenantId, userId: randomUUID(), role };
  }

  async call(caller: Caller | null, method: string, path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (caller) {
      const base = {
        tid: caller.tenantId,
        role: caller.role ?? 'owner',
        plan: 'free',
        rid: `t-${randomUUID()}`,
      } as const;
      Object.assign(
        headers,
        await internalPrincipalHeaders(
          caller.apiKeyId
            ? { ...base, knd: 'api-key', akid: caller.apiKeyId, scp: ['*'] }
            : { ...base, knd: 'user', uid: caller.userId ?? randomUUID(), sid: randomUUID() },
        ),
      );
    }
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** Posts a webhook delivery as Stripe does: these exact bytes, this signature header. */
  async deliver(
    payload: string | Uint8Array,
    signature: string | null,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const res = await fetch(`${this.base}/billing/webhooks/stripe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'stripe-signature': signature } : {}),
        ...headers,
      },
      body: payload,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.pg.query(sql, params);
  }
}
