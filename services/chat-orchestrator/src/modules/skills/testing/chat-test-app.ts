import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { expect } from 'vitest';
import { PlatformModule } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import { createHttpApp, createLogger, type Logger } from '@parley/observability';
import { createDataSource, migrateControlPlane, TenantMigrationRunner, tenantSchemaName } from '@parley/tenancy';
import {
  createTestDatabase,
  internalPrincipalHeaders,
  testConfig,
  uniqueSuffix,
  type TestDatabase,
} from '@parley/testing';
import { PrincipalModule } from '../../principal/principal.module';
import { ProviderCredentialsModule } from '../../provider-credentials/provider-credentials.module';
import { StatsModule } from '../../stats/stats.module';
import { SkillsModule } from '../skills.module';

/** A caller as the gateway would describe it in the internal headers. */
export interface TestPrincipal {
  tenantId: string;
  kind: 'user' | 'api-key' | 'anonymous';
  /** The user id, or the key id of an API key. */
  id: string;
  role: 'owner' | 'admin' | 'member' | 'billing';
}

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
  body: any;
}

/** The modules this test app serves, on the platform's real observability and Postgres/Redis modules. */
@Module({})
class ChatFeaturesTestModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: ChatFeaturesTestModule,
      imports: [
        // Observability, tenancy, the bus and the outbox (audit entries go there), as the service has them.
        PlatformModule.forRoot(config, logger),
        PrincipalModule,
        SkillsModule,
        ProviderCredentialsModule,
        StatsModule,
      ],
    };
  }
}

/** Every log line the app writes, as text, to assert what never appears in logs. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly stream = { write: (line: string) => void this.lines.push(line) };

  text(): string {
    return this.lines.join('');
  }
}

/**
 * The chat-orchestrator's skills, provider-credentials and stats modules in-process on the real
 * Postgres (a database of its own, control plane migrated, tenants provisioned with every tenant
 * migration), called over HTTP with the internal headers the gateway sets.
 */
export class ChatTestApp {
  private readonly extraApps: INestApplication[] = [];

  private constructor(
    readonly db: TestDatabase,
    readonly config: AppConfig,
    readonly app: INestApplication,
    readonly base: string,
    readonly logs: LogCapture,
    /** A direct connection to inspect and arrange rows. */
    readonly pg: Client,
    private readonly dataSource: DataSource,
  ) {}

  static async start(extra: Record<string, string> = {}): Promise<ChatTestApp> {
    const db = await createTestDatabase();
    const dataSource = createDataSource({ url: db.url, poolMax: 2, ssl: false }, 'chat-test-setup');
    await dataSource.initialize();
    await migrateControlPlane(dataSource);
    const config = testConfig('chat-orchestrator', {
      databaseUrl: db.url,
      topicPrefix: `chat${uniqueSuffix()}.`,
      extra: { HTTP_BODY_LIMIT_BYTES: '65536', ...extra },
    });
    const logs = new LogCapture();
    const app = await ChatTestApp.boot(config, logs);
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    return new ChatTestApp(db, config, app, await app.getUrl(), logs, pg, dataSource);
  }

  private static async boot(config: AppConfig, logs: LogCapture): Promise<INestApplication> {
    // Everything the service logs, down to debug, so tests can look for what must never be there.
    const logger = createLogger('chat-orchestrator', 'debug', logs.stream);
    const app = await createHttpApp(ChatFeaturesTestModule.forRoot(config, logger), config, logger);
    await app.listen(0, '127.0.0.1');
    return app;
  }

  /** Another instance on the same database with other settings (e.g. no global providers). */
  async another(extra: Record<string, string | undefined>): Promise<{ app: INestApplication; base: string }> {
    const env = Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const config = testConfig('chat-orchestrator', {
      databaseUrl: this.db.url,
      topicPrefix: this.config.kafka.topicPrefix,
      extra: { HTTP_BODY_LIMIT_BYTES: '65536', ...env },
    });
    const app = await ChatTestApp.boot(config, this.logs);
    this.extraApps.push(app);
    return { app, base: await app.getUrl() };
  }

  async stop(): Promise<void> {
    for (const app of this.extraApps) await app.close();
    await this.app.close();
    await this.pg.end();
    await this.dataSource.destroy();
    await this.db.drop();
  }

  /** A control-plane tenant and its schema with every tenant migration, as provisioning makes them. */
  async createTenant(name: string): Promise<string> {
    const id = randomUUID();
    const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${uniqueSuffix()}`;
    const q = this.dataSource.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      await q.query(
        `INSERT INTO control.tenants (id, slug, name, plan_id, deployment_mode, schema_name)
         VALUES ($1, $2, $3, 'free', 'cloud', $4)`,
        [id, slug, name, tenantSchemaName(id)],
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

  /** A principal of the tenant: a user with a role, or an API key (which the gateway sends as a member). */
  principal(tenantId: string, role: TestPrincipal['role'] | 'api-key'): TestPrincipal {
    return role === 'api-key'
      ? { tenantId, kind: 'api-key', id: randomUUID(), role: 'member' }
      : { tenantId, kind: 'user', id: randomUUID(), role };
  }

  async call(
    who: TestPrincipal | null,
    method: string,
    path: string,
    body?: unknown,
    base = this.base,
  ): Promise<Answer> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(who ? await internalHeaders(who) : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** Rows of a tenant table, read directly (not through the app). */
  async rows<Row = Record<string, unknown>>(tenantId: string, sql: string, params: unknown[] = []): Promise<Row[]> {
    const client = this.pg;
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('search_path', $1, true)`, [`"${tenantSchemaName(tenantId)}"`]);
      const result = await client.query(sql, params);
      await client.query('COMMIT');
      return result.rows as Row[];
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }
}

/** The signed principal header the gateway sends for a verified principal. */
export function internalHeaders(who: TestPrincipal): Promise<Record<string, string>> {
  const base = { tid: who.tenantId, role: who.role, plan: 'free', rid: `test-${uniqueSuffix()}` } as const;
  return internalPrincipalHeaders(
    who.kind === 'api-key'
      ? { ...base, knd: 'api-key', akid: who.id, scp: ['chat:write'] }
      : who.kind === 'anonymous'
        ? { ...base, knd: 'anonymous' }
        : { ...base, knd: 'user', uid: who.id, sid: who.id },
  );
}

/** The ChatPrincipal the guard would build for a test principal (for calling exported services directly). */
export function chatPrincipal(who: TestPrincipal) {
  return {
    kind: who.kind,
    tenantId: who.tenantId,
    userId: who.kind === 'api-key' ? null : who.id,
    apiKeyId: who.kind === 'api-key' ? who.id : null,
    role: who.role,
    plan: 'free' as const,
    scopes: who.kind === 'api-key' ? ['chat:write'] : [],
    ownerKind: who.kind,
    ownerId: who.id,
  };
}

/** Asserts a problem answer: its status and code, never a 500. */
export function expectProblem(answer: Answer, status: number, code: string): void {
  expect({
    status: answer.status,
    code: (answer.body as { error?: { code?: string } } | undefined)?.error?.code,
  }).toEqual({ status, code });
}
