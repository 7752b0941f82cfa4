import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { TopicAdmin, TopicNamer } from '@parley/bus';
import { loadConfig, type AppConfig } from '@parley/config';
import type { TopicDefinition } from '@parley/contracts';
import { createLogger } from '@parley/observability';
import { createDataSource, migrateControlPlane, tenantSchemaName, TenantMigrationRunner } from '@parley/tenancy';
import {
  createTestDatabase,
  infra,
  internalPrincipalHeaders,
  sttEngineEnv,
  testEnv,
  TopicReader,
  uniqueSuffix,
  type TestDatabase,
} from '@parley/testing';
import { createSttApp } from '../create-app';
import { SttWorkerPool } from '../modules/engine/stt-worker-pool';

/** An HTTP answer: its status, headers, text and (when JSON) parsed body. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
  body: any;
}

/** A principal as the gateway sends it. */
export interface Caller {
  tenantId: string;
  userId?: string;
  apiKeyId?: string;
  scopes?: string[];
  plan?: 'free' | 'pro' | 'enterprise';
  /** The member's role (default `member`). */
  role?: 'owner' | 'admin' | 'member';
}

export interface UploadOptions {
  fields?: Record<string, string>;
  /** The file part's name (default `file`) and filename (default the path's). */
  partName?: string;
  filename?: string;
  path?: '/transcriptions' | '/audio/transcriptions';
}

/**
 * The stt service in-process on the real Postgres, Redis and Kafka with the real offline engine
 * (one worker, base + tiny models), a fresh database with a migrated control plane, and helpers to
 * make tenants and call it as the gateway does.
 */
export class SttStack {
  private constructor(
    readonly config: AppConfig,
    readonly app: INestApplication,
    readonly base: string,
    readonly db: TestDatabase,
    readonly pg: DataSource,
  ) {}

  /** `engine: false`: without the embedded engine (for upstream tests: nothing loads, readiness aside). */
  static async start(env: Record<string, string> = {}, options: { engine?: boolean } = {}): Promise<SttStack> {
    const withEngine = options.engine ?? true;
    const engine = withEngine ? await sttEngineEnv() : {};
    const db = await createTestDatabase();
    const pg = createDataSource({ url: db.url, poolMax: 2, ssl: false }, 'stt-int-spec');
    await pg.initialize();
    await migrateControlPlane(pg);
    const config = loadConfig('stt', {
      ...testEnv({ databaseUrl: db.url, topicPrefix: `stt${uniqueSuffix()}.` }),
      PORT: '0',
      ...engine,
      STT_WORKERS: '1',
      STT_CPU_THREADS: '1',
      ...env,
    });
    const app = await createSttApp(config, createLogger('stt', 'warn'));
    await app.listen(0, '127.0.0.1');
    const stack = new SttStack(config, app, await app.getUrl(), db, pg);
    if (withEngine) await stack.ready();
    return stack;
  }

  get pool(): SttWorkerPool {
    return this.app.get(SttWorkerPool);
  }

  /** Waits until a worker has its models loaded. */
  async ready(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pool.status().workers.ready === 0) {
      if (Date.now() > deadline) throw new Error(`no speech worker ready: ${JSON.stringify(this.pool.status())}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(): Promise<void> {
    await this.app.close();
    await this.pg.destroy();
    await this.db.drop();
  }

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

  async caller(plan: Caller['plan'] = 'enterprise', role: Caller['role'] = 'member'): Promise<Caller> {
    return { tenantId: await this.tenant(plan), userId: randomUUID(), plan, role };
  }

  /** A JSON request as the gateway forwards it. */
  async json(caller: Caller, method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...(await headersOf(caller)), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** Sets a plan's longest audio of one upload or session (seconds) in this test database's control plane. */
  async setMaxAudioSeconds(plan: 'free' | 'pro' | 'enterprise', seconds: number): Promise<void> {
    await this.pg.query(
      `UPDATE control.plans SET limits = jsonb_set(limits, '{sttMaxAudioSeconds}', to_jsonb($2::int)) WHERE id = $1`,
      [plan, seconds],
    );
  }

  /** Sets a plan's monthly speech minutes in this test database's control plane. */
  async setSttMinutes(plan: 'free' | 'pro' | 'enterprise', minutes: number): Promise<void> {
    await this.pg.query(
      `UPDATE control.plans SET limits = jsonb_set(limits, '{sttMinutesPerMonth}', to_jsonb($2::int)) WHERE id = $1`,
      [plan, minutes],
    );
  }

  async upload(caller: Caller | null, file: string | Buffer, options: UploadOptions = {}): Promise<Answer> {
    const data = typeof file === 'string' ? await readFile(file) : file;
    const form = new FormData();
    for (const [name, value] of Object.entries(options.fields ?? {})) form.append(name, value);
    const filename = options.filename ?? (typeof file === 'string' ? basename(file) : 'audio.bin');
    form.append(options.partName ?? 'file', new Blob([data]), filename);
    return this.send(caller, options.path ?? '/transcriptions', form);
  }

  async send(
    caller: Caller | null,
    path: string,
    body: FormData | Buffer | string,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { ...(caller ? await headersOf(caller) : {}), ...headers },
      body,
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  }

  async readTopic(topic: TopicDefinition): Promise<TopicReader> {
    const physical = this.app.get(TopicNamer).physical(topic.name);
    await this.app.get(TopicAdmin).ensureTopics([physical]);
    return new TopicReader(infra().KAFKA_BROKERS.split(','), physical).start();
  }
}

/** The signed principal header the gateway would send for this caller. */
export function headersOf(caller: Caller): Promise<Record<string, string>> {
  const base = {
    tid: caller.tenantId,
    role: caller.role ?? 'member',
    plan: caller.plan ?? 'enterprise',
    rid: `test-${randomUUID()}`,
  } as const;
  return internalPrincipalHeaders(
    caller.apiKeyId
      ? { ...base, knd: 'api-key', akid: caller.apiKeyId, scp: caller.scopes ?? [] }
      : { ...base, knd: 'user', uid: caller.userId ?? randomUUID(), sid: randomUUID() },
  );
}

/** The stt service's streaming endpoint URL. */
export function streamUrl(stack: SttStack): string {
  return `${stack.base.replace(/^http/, 'ws')}/stream`;
}

/** A WAV of 16 kHz mono s16le: a quiet 440 Hz tone of `seconds` (any audio an upstream transcribes). */
export function toneWav(seconds: number): Buffer {
  const samples = Math.round(seconds * 16_000);
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i += 1)
    pcm.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / 16_000)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(16_000, 24);
  header.writeUInt32LE(32_000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}
