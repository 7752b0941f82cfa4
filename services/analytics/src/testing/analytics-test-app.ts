import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { expect } from 'vitest';
import { BusProducer, createServiceApp, PlatformModule } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import { ALL_TOPICS, BusHeader, type MessageOf, type TopicDefinition } from '@parley/contracts';
import { createLogger, RequestContext } from '@parley/observability';
import { createDataSource, migrateControlPlane, TenantMigrationRunner, tenantSchemaName } from '@parley/tenancy';
import {
  createTestDatabase,
  internalPrincipalHeaders,
  testConfig,
  uniqueSuffix,
  type TestDatabase,
} from '@parley/testing';
import { createAnalyticsApp } from '../create-app';

/** A caller as the gateway describes it in the signed principal token. */
export interface TestPrincipal {
  tenantId: string;
  kind: 'user' | 'api-key';
  /** The user id, or the key id of an API key. */
  id: string;
  role: 'owner' | 'admin' | 'member' | 'billing';
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
  body: any;
}

/** Emits any platform topic as the owning service would (with the tenant in the message headers). */
@Module({})
class ProducerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProducerModule,
      imports: [
        PlatformModule.forRoot(config, createLogger('gateway', 'silent'), {
          bus: { topics: [...ALL_TOPICS] },
        }),
      ],
    };
  }
}

/**
 * The analytics service as it runs (its AppModule, Kafka consumers included) on a database of its
 * own and a private topic prefix, a producer that speaks for the other services, and helpers to
 * call its HTTP routes with the principal token the gateway would mint.
 */
export class AnalyticsTestApp {
  private constructor(
    readonly db: TestDatabase,
    readonly config: AppConfig,
    readonly app: INestApplication,
    readonly base: string,
    private readonly producerApp: INestApplication,
    readonly pg: Client,
    private readonly dataSource: DataSource,
  ) {}

  static async start(extra: Record<string, string> = {}): Promise<AnalyticsTestApp> {
    const db = await createTestDatabase();
    const dataSource = createDataSource({ url: db.url, poolMax: 2, ssl: false }, 'analytics-test-setup');
    await dataSource.initialize();
    await migrateControlPlane(dataSource);
    const topicPrefix = `an${uniqueSuffix()}.`;
    const env = { BUS_MAX_RETRIES: '1', BUS_RETRY_BACKOFF_MS: '20', ...extra };
    const config = testConfig('analytics', { databaseUrl: db.url, topicPrefix, extra: env });
    const producerConfig = testConfig('gateway', { topicPrefix, extra: env });
    const producerApp = await createServiceApp(
      ProducerModule.forRoot(producerConfig),
      producerConfig,
      createLogger('gateway', 'silent'),
    );
    await producerApp.init();
    const app = await createAnalyticsApp(config, createLogger('analytics', 'silent'));
    await app.listen(0, '127.0.0.1');
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    return new AnalyticsTestApp(db, config, app, await app.getUrl(), producerApp, pg, dataSource);
  }

  async stop(): Promise<void> {
    await this.app.close();
    await this.producerApp.close();
    await this.pg.end();
    await this.dataSource.destroy();
    await this.db.drop();
  }

  /** A control-plane tenant and its schema with every tenant migration, as provisioning makes them. */
  async createTenant(name: string): Promise<string> {
    const id = randomUUID();
    const q = this.dataSource.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      await q.query(
        `INSERT INTO control.tenants (id, slug, name, plan_id, deployment_mode, schema_name)
         VALUES ($1, $2, $3, 'free', 'cloud', $4)`,
        [id, `${name.toLowerCase()}-${uniqueSuffix()}`, name, tenantSchemaName(id)],
      );
      await new TenantMigrationRunner(this.dataSource).provision(q, id);
      await q.commitTransaction();
    } catch (error) {
      await q.rollbackTransaction();
      throw error;
    } finally {
      await q.release();
    }
    return id;
  }

  principal(tenantId: string, role: TestPrincipal['role'] | 'api-key'): TestPrincipal {
    return role === 'api-key'
      ? { tenantId, kind: 'api-key', id: randomUUID(), role: 'member' }
      : { tenantId, kind: 'user', id: randomUUID(), role };
  }

  /**
   * Emits an event as its producer would, the payload's tenant in the headers; `headerTenantId`
   * forges another tenant's header (what a broken or hostile producer would send).
   */
  async emit<T extends TopicDefinition>(topic: T, message: MessageOf<T>, headerTenantId?: string): Promise<string> {
    const producer = this.producerApp.get(BusProducer);
    const tenantId = (message as { tenantId: string }).tenantId;
    const headers = headerTenantId ? { [BusHeader.TenantId]: headerTenantId } : undefined;
    return RequestContext.run({ ...RequestContext.fresh(), tenantId }, () =>
      producer.emit(topic, message, { headers }),
    );
  }

  async call(who: TestPrincipal | null, method: string, path: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(who ? await principalHeaders(who) : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  }

  /** Rows of a tenant table, read directly (not through the app). */
  async rows<Row = Record<string, unknown>>(tenantId: string, sql: string, params: unknown[] = []): Promise<Row[]> {
    await this.pg.query('BEGIN');
    try {
      await this.pg.query(`SELECT set_config('search_path', $1, true)`, [`"${tenantSchemaName(tenantId)}"`]);
      const result = await this.pg.query(sql, params);
      await this.pg.query('COMMIT');
      return result.rows as Row[];
    } catch (error) {
      await this.pg.query('ROLLBACK');
      throw error;
    }
  }
}

export function principalHeaders(who: TestPrincipal): Promise<Record<string, string>> {
  const base = { tid: who.tenantId, role: who.role, plan: 'free', rid: `test-${uniqueSuffix()}` } as const;
  return internalPrincipalHeaders(
    who.kind === 'api-key'
      ? { ...base, knd: 'api-key', akid: who.id, scp: ['stats:read'] }
      : { ...base, knd: 'user', uid: who.id, sid: who.id },
  );
}

/** Asserts a problem answer: its status and code, never a 500. */
export function expectProblem(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: (answer.body as { error?: { code?: string } })?.error?.code }).toEqual({
    status,
    code,
  });
}
