import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { BusHeader, defineEvent } from '@parley/contracts';
import { createLogger, RequestContext } from '@parley/observability';
import { createDataSource, DATA_SOURCE, migrateControlPlane, TenantContext } from '@parley/tenancy';
import {
  createTestDatabase,
  infra,
  testConfig,
  TopicReader,
  uniqueSuffix,
  waitFor,
  type TestDatabase,
} from '@parley/testing';
import { createServiceApp, PlatformModule } from '../platform.module';
import { OutboxRelay } from './outbox-relay';
import { OutboxWriter, outboxEntry } from './outbox-writer';
import { OUTBOX_CHANNEL } from './outbox-wakeup';

const TENANT = '3e9c1a2b-4d5f-4a6b-8c7d-9e0f1a2b3c4d';
const InvoicePaidV1 = defineEvent({
  name: 'test.invoice-paid.v1',
  schema: z.strictObject({ tenantId: z.string(), invoiceId: z.string() }),
  key: (m) => m.tenantId,
});

@Module({})
class BillingLikeApp {
  static forRoot(config: ReturnType<typeof testConfig>): DynamicModule {
    return {
      module: BillingLikeApp,
      imports: [
        PlatformModule.forRoot(config, createLogger('billing', 'silent'), { bus: { topics: [InvoicePaidV1] } }),
      ],
    };
  }
}

describe('transactional outbox on the real Postgres and Kafka', () => {
  const prefix = `t${uniqueSuffix()}.`;
  let db: TestDatabase;
  let admin: DataSource;
  let app: INestApplication;
  let reader: TopicReader;
  const leftoverId = randomUUID();

  const published = async (id: string) =>
    (
      await admin.query<{ published_at: Date | null }[]>('SELECT published_at FROM control.outbox WHERE id = $1', [id])
    )[0]?.published_at ?? null;

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = createDataSource({ url: db.url, poolMax: 2, ssl: false }, 'outbox-int-spec');
    await admin.initialize();
    await migrateControlPlane(admin);
    // A row a crashed process committed but never published.
    await admin.query(
      `INSERT INTO control.outbox (id, producer, topic, key, value, headers) VALUES ($1, 'billing', $2, $3, $4, $5)`,
      [
        leftoverId,
        InvoicePaidV1.name,
        TENANT,
        JSON.stringify({ tenantId: TENANT, invoiceId: 'left-over' }),
        JSON.stringify({ [BusHeader.MessageId]: leftoverId, [BusHeader.TenantId]: TENANT }),
      ],
    );
    // The safety poll far away: whatever this suite sees published went out on a commit, a peer's
    // notification or the pass at start.
    const config = testConfig('billing', {
      databaseUrl: db.url,
      topicPrefix: prefix,
      extra: { OUTBOX_POLL_MS: '600000' },
    });
    app = await createServiceApp(BillingLikeApp.forRoot(config), config, createLogger('billing', 'silent'));
    await app.init(); // creates the topic; the reader reads it from the beginning
    reader = await new TopicReader(infra().KAFKA_BROKERS.split(','), `${prefix}${InvoicePaidV1.name}`).start();
  });

  afterAll(async () => {
    await reader?.stop();
    await app?.close();
    await admin?.destroy();
    await db?.drop();
  });

  it('publishes what an earlier process committed but never sent, once it starts', async () => {
    const message = await waitFor(() => reader.messages.find((m) => m.headers[BusHeader.MessageId] === leftoverId), {
      what: 'left-over row published',
    });
    expect(JSON.parse(message.value ?? '{}')).toEqual({ tenantId: TENANT, invoiceId: 'left-over' });
    await waitFor(async () => (await published(leftoverId)) !== null, { what: 'row marked published' });
  });

  it('publishes a committed message with its context headers, and nothing of a rolled-back one', async () => {
    const dataSource = app.get<DataSource>(DATA_SOURCE);
    const writer = app.get(OutboxWriter);
    const context = { requestId: 'req-outbox', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
    const rolledBack = await RequestContext.run(context, () =>
      TenantContext.run(TENANT, async () => {
        let id = '';
        await dataSource
          .transaction(async (manager) => {
            id = await writer.add(manager, InvoicePaidV1, { tenantId: TENANT, invoiceId: 'never' });
            throw new Error('business rule failed after the outbox write');
          })
          .catch(() => undefined);
        return id;
      }),
    );
    const committed = await RequestContext.run(context, () =>
      TenantContext.run(TENANT, () =>
        dataSource.transaction((manager) =>
          writer.add(manager, InvoicePaidV1, { tenantId: TENANT, invoiceId: 'paid-1' }),
        ),
      ),
    );
    const message = await waitFor(() => reader.messages.find((m) => m.headers[BusHeader.MessageId] === committed), {
      what: 'committed outbox message',
    });
    expect(message.key).toBe(TENANT);
    expect(message.headers[BusHeader.RequestId]).toBe('req-outbox');
    expect(message.headers[BusHeader.TenantId]).toBe(TENANT);
    expect(message.headers[BusHeader.Producer]).toBe('billing');
    await waitFor(async () => (await published(committed)) !== null, { what: 'row marked published' });
    expect(reader.messages.some((m) => m.value?.includes('"never"'))).toBe(false);
    expect(await admin.query('SELECT 1 FROM control.outbox WHERE id = $1', [rolledBack])).toEqual([]);
  });

  it('writes the messages of one transaction in one statement, and a flush publishes them all', async () => {
    const dataSource = app.get<DataSource>(DATA_SOURCE);
    const writer = app.get(OutboxWriter);
    let statements = 0;
    const ids = await TenantContext.run(TENANT, () =>
      dataSource.transaction((manager) =>
        writer.addAll(
          {
            query: (sql: string, parameters?: unknown[]) => {
              statements += 1;
              return manager.query(sql, parameters);
            },
          },
          ['batch-1', 'batch-2', 'batch-3'].map((invoiceId) =>
            outboxEntry(InvoicePaidV1, { tenantId: TENANT, invoiceId }),
          ),
        ),
      ),
    );
    expect(statements).toBe(1);
    expect(new Set(ids).size).toBe(3);
    await app.get(OutboxRelay).flush();
    for (const id of ids) expect(await published(id)).not.toBeNull();
    await waitFor(() => ids.every((id) => reader.messages.some((m) => m.headers[BusHeader.MessageId] === id)), {
      what: 'the three messages read back',
    });
    const invoices = ids.map(
      (id) => JSON.parse(reader.messages.find((m) => m.headers[BusHeader.MessageId] === id)?.value ?? '{}').invoiceId,
    );
    expect(invoices).toEqual(['batch-1', 'batch-2', 'batch-3']);
  });

  it('one flush drains a backlog larger than a batch (it goes on while passes come back full)', async () => {
    const ids = Array.from({ length: 450 }, () => randomUUID());
    await admin.query(
      `INSERT INTO control.outbox (id, producer, topic, key, value, headers)
       SELECT id, 'billing', $2, $3, jsonb_build_object('tenantId', $3::text, 'invoiceId', id::text),
              jsonb_build_object($4::text, id::text, $5::text, $3::text)
       FROM unnest($1::uuid[]) AS id`,
      [ids, InvoicePaidV1.name, TENANT, BusHeader.MessageId, BusHeader.TenantId],
    );
    expect(await app.get(OutboxRelay).flush()).toBeGreaterThanOrEqual(450);
    const [left] = await admin.query<{ pending: number }[]>(
      `SELECT count(*)::int AS pending FROM control.outbox WHERE id = ANY($1) AND published_at IS NULL`,
      [ids],
    );
    expect(left?.pending).toBe(0);
  });

  it('publishes what another instance of the service committed and never sent, woken by its notification', async () => {
    // A peer replica commits a row and dies before publishing it (its commit notifies, as
    // OutboxWriter does): nothing in this process flushes, and its safety poll is ten minutes away.
    const orphan = randomUUID();
    await admin.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO control.outbox (id, producer, topic, key, value, headers) VALUES ($1, 'billing', $2, $3, $4, $5)`,
        [
          orphan,
          InvoicePaidV1.name,
          TENANT,
          JSON.stringify({ tenantId: TENANT, invoiceId: 'orphan' }),
          JSON.stringify({ [BusHeader.MessageId]: orphan, [BusHeader.TenantId]: TENANT }),
        ],
      );
      await manager.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', $1)`, ['billing']);
    });
    await waitFor(() => reader.messages.find((m) => m.headers[BusHeader.MessageId] === orphan), {
      what: "the peer's row published",
    });
    await waitFor(async () => (await published(orphan)) !== null, { what: 'row marked published' });
  });

  it('refuses a message that breaks its contract at write time, inside the transaction', async () => {
    const writer = app.get(OutboxWriter);
    const dataSource = app.get<DataSource>(DATA_SOURCE);
    await expect(
      dataSource.transaction((manager) => writer.add(manager, InvoicePaidV1, { tenantId: TENANT } as never)),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('prunes its own rows published longer ago than OUTBOX_RETENTION_MS, and nothing else', async () => {
    const row = async (producer: string, publishedAgo: string | null) => {
      const id = randomUUID();
      await admin.query(
        `INSERT INTO control.outbox (id, producer, topic, key, value, headers, created_at, published_at)
         VALUES ($1, $2, $3, $4, '{}'::jsonb, '{}'::jsonb, now() - interval '30 days',
                 CASE WHEN $5::text IS NULL THEN NULL ELSE now() - $5::interval END)`,
        [id, producer, InvoicePaidV1.name, TENANT, publishedAgo],
      );
      return id;
    };
    const old = await row('billing', '8 days'); // retention is 7 days by default
    const recent = await row('billing', '1 hour');
    const othersOld = await row('auth', '8 days'); // another service prunes its own rows
    const exists = async (id: string) =>
      (await admin.query<unknown[]>('SELECT 1 FROM control.outbox WHERE id = $1', [id])).length === 1;

    expect(await app.get(OutboxRelay).prune()).toBeGreaterThanOrEqual(1);
    expect(await exists(old)).toBe(false);
    expect(await exists(recent)).toBe(true);
    expect(await exists(othersOld)).toBe(true);
    expect(await exists(leftoverId)).toBe(true); // published by this relay a moment ago: kept
  });
});
