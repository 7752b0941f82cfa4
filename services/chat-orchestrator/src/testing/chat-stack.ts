import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { TopicAdmin, TopicNamer } from '@parley/bus';
import { loadConfig, type AppConfig } from '@parley/config';
import type { ChatStreamEvent, TopicDefinition } from '@parley/contracts';
import { createLogger, type Logger } from '@parley/observability';
import { createDataSource, migrateControlPlane, TenantMigrationRunner, tenantSchemaName } from '@parley/tenancy';
import {
  createTestDatabase,
  infra,
  internalPrincipalHeaders,
  LlmSimulator,
  testEnv,
  TopicReader,
  uniqueSuffix,
  type TestDatabase,
} from '@parley/testing';
import { createChatOrchestratorApp } from '../create-app';
import { readSse, type SseFrame } from './sse-client';

/** An HTTP answer with its parsed JSON body (asserted field by field). */
export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
  body: any;
  headers: Headers;
}

/** A principal as the gateway sends it: the internal headers. */
export interface Caller {
  tenantId: string;
  userId?: string;
  apiKeyId?: string;
  role?: 'owner' | 'admin' | 'member' | 'billing';
  plan?: 'free' | 'pro' | 'enterprise';
}

export interface StreamResult {
  status: number;
  headers: Headers;
  frames: SseFrame[];
  events: ChatStreamEvent[];
  /** The body when the answer was not a stream (a refusal). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- asserted field by field
  body?: any;
}

/** The signed principal header the gateway would send for this caller. */
export function headersOf(caller: Caller): Promise<Record<string, string>> {
  const base = {
    tid: caller.tenantId,
    role: caller.role ?? 'owner',
    plan: caller.plan ?? 'enterprise',
    rid: `test-${randomUUID()}`,
  } as const;
  return internalPrincipalHeaders(
    caller.apiKeyId
      ? { ...base, knd: 'api-key', akid: caller.apiKeyId, scp: [] }
      : { ...base, knd: 'user', uid: caller.userId ?? randomUUID(), sid: randomUUID() },
  );
}

/**
 * The chat-orchestrator in-process on the real Postgres, Redis and Kafka, its global providers
 * pointing at an LlmSimulator (anthropic then openai, fast retries), with a fresh database whose
 * control plane is migrated, and helpers to make tenants and call it as the gateway does.
 */
export class ChatStack {
  private readonly replicas: INestApplication[] = [];

  private constructor(
    /** Every log line of the apps (info and up), to assert what is and is not logged. */
    readonly logs: string[],
    readonly config: AppConfig,
    readonly app: INestApplication,
    readonly base: string,
    readonly db: TestDatabase,
    /** A direct pool on the test database, to arrange and inspect rows. */
    readonly pg: DataSource,
    readonly sim: LlmSimulator,
    readonly topicPrefix: string,
  ) {}

  /** `env` overrides the orchestrator's environment (e.g. `CHAT_PROVIDER_CHAIN`, limits). */
  static async start(env: Record<string, string | undefined> = {}): Promise<ChatStack> {
    const sim = await LlmSimulator.start();
    const db = await createTestDatabase();
    const pg = createDataSource({ url: db.url, poolMax: 4, ssl: false }, 'chat-int-spec');
    await pg.initialize();
    await migrateControlPlane(pg);
    const topicPrefix = `chat${uniqueSuffix()}.`;
    const merged: Record<string, string | undefined> = {
      ...testEnv({ databaseUrl: db.url, topicPrefix }),
      PORT: '0',
      ANTHROPIC_BASE_URL: sim.anthropicBaseUrl,
      ANTHROPIC_API_KEY: 'sk-ant-test-key-1234',
      ANTHROPIC_MODEL: 'claude-sonnet-4-5',
      OPENAI_BASE_URL: sim.openaiBaseUrl,
      OPENAI_API_KEY: 'sk-openai-test-key-5678',
      OPENAI_MODEL: 'gpt-4.1-mini',
      CHAT_PROVIDER_CHAIN: 'anthropic,openai',
      CHAT_PROVIDER_RETRY_BASE_MS: '5',
      CHAT_PROVIDER_RETRY_MAX_MS: '50',
      ...env,
    };
    const config = loadConfig(
      'chat-orchestrator',
      Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined)),
    );
    const logs: string[] = [];
    const app = await createChatOrchestratorApp(config, captureLogger(logs));
    await app.listen(0, '127.0.0.1');
    return new ChatStack(logs, config, app, await app.getUrl(), db, pg, sim, topicPrefix);
  }

  /** Another orchestrator instance on the same database, Redis and topics (a second replica); its URL. */
  async replica(): Promise<string> {
    const config = { ...this.config, instanceId: `${this.config.instanceId}-r${this.replicas.length + 1}` };
    const app = await createChatOrchestratorApp(config, captureLogger(this.logs));
    this.replicas.push(app);
    await app.listen(0, '127.0.0.1');
    return app.getUrl();
  }

  async stop(): Promise<void> {
    for (const replica of this.replicas) await replica.close();
    await this.app.close();
    await this.sim.close();
    await this.pg.destroy();
    await this.db.drop();
  }

  /** A provisioned tenant (control row + schema with every tenant migration) on a plan. */
  async tenant(plan: 'free' | 'pro' | 'enterprise' = 'enterprise'): Promise<string> {
    const id = randomUUID();
    const q = this.pg.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      await q.query(
        `INSERT INTO control.tenants (id, slug, name, plan_id, deployment_mode, schema_name) VALUES ($1, $2, $2, $3, 'cloud', $4)`,
        [id, `t-${uniqueSuffix()}`, plan, tenantSchemaName(id)],
      );
      await new TenantMigrationRunner(this.pg).provision(q, id);
      await q.commitTransaction();
    } catch (error) {
      await q.rollbackTransaction();
      throw error;
    } finally {
      await q.release();
    }
    return id;
  }

  /** A user of a new tenant, or of the given one. */
  async caller(tenantId?: string, plan: Caller['plan'] = 'enterprise'): Promise<Caller> {
    return { tenantId: tenantId ?? (await this.tenant(plan)), userId: randomUUID(), plan };
  }

  /** Rows of a tenant's schema. */
  rows<T = Record<string, unknown>>(tenantId: string, sql: string, params: unknown[] = []): Promise<T[]> {
    return this.pg.query(sql.replaceAll('{schema}', `"${tenantSchemaName(tenantId)}"`), params);
  }

  async call(
    caller: Caller | null,
    method: string,
    path: string,
    body?: unknown,
    options: { base?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const res = await fetch(`${options.base ?? this.base}${path}`, {
      method,
      headers: {
        ...(caller ? await headersOf(caller) : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: res.headers };
  }

  async conversation(caller: Caller, title?: string): Promise<string> {
    const res = await this.call(caller, 'POST', '/conversations', title === undefined ? {} : { title });
    if (res.status !== 201) throw new Error(`create conversation answered ${res.status}: ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  /**
   * Sends a message with `Accept: text/event-stream` and reads the stream; `onEvent` may abort
   * (`signal`) to act as a client that goes away.
   */
  async stream(
    caller: Caller,
    conversationId: string,
    body: Record<string, unknown>,
    options: {
      base?: string;
      signal?: AbortSignal;
      headers?: Record<string, string>;
      onEvent?: (event: ChatStreamEvent) => void | Promise<void>;
    } = {},
  ): Promise<StreamResult> {
    const res = await fetch(`${options.base ?? this.base}/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: {
        ...(await headersOf(caller)),
        'content-type': 'application/json',
        accept: 'text/event-stream',
        ...options.headers,
      },
      body: JSON.stringify(body),
      signal: options.signal,
    });
    const result: StreamResult = { status: res.status, headers: res.headers, frames: [], events: [] };
    if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      const text = await res.text();
      result.body = text ? (JSON.parse(text) as unknown) : undefined;
      return result;
    }
    await readSse(res.body, async (frame) => {
      result.frames.push(frame);
      result.events.push(frame.data);
      await options.onEvent?.(frame.data);
    }).catch((error: unknown) => {
      if (!(error instanceof Error && error.name === 'AbortError')) throw error;
    });
    return result;
  }

  /** Reads a topic this app publishes, from the beginning. */
  async readTopic(topic: TopicDefinition): Promise<TopicReader> {
    const physical = this.app.get(TopicNamer).physical(topic.name);
    await this.app.get(TopicAdmin).ensureTopics([physical]);
    return new TopicReader(infra().KAFKA_BROKERS.split(','), physical).start();
  }
}

/** A JSON logger at info level whose lines land in `lines`. */
function captureLogger(lines: string[]): Logger {
  return createLogger('chat-orchestrator', 'info', { write: (line: string) => void lines.push(line) });
}

/** The assistant message row of a stream. */
export function messageIdOf(events: ChatStreamEvent[]): string {
  const started = events.find((e) => e.type === 'message.started');
  if (!started?.messageId) throw new Error(`no message.started in ${JSON.stringify(events)}`);
  return started.messageId;
}
