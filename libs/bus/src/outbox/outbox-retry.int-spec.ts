import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { loadConfig, type AppConfig } from '@parley/config';
import { defineEvent } from '@parley/contracts';
import { createLogger } from '@parley/observability';
import { createDataSource, DATA_SOURCE, migrateControlPlane } from '@parley/tenancy';
import {
  createTestDatabase,
  infra,
  PrivateInfra,
  testEnv,
  uniqueSuffix,
  waitFor,
  type TestDatabase,
} from '@parley/testing';
import { createServiceApp, PlatformModule } from '../platform.module';
import { OutboxRelay } from './outbox-relay';
import { OutboxWriter } from './outbox-writer';

const TENANT = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const ReceiptIssuedV1 = defineEvent({
  name: 'test.receipt-issued.v1',
  schema: z.strictObject({ tenantId: z.string(), receiptId: z.string() }),
  key: (m) => m.tenantId,
});

@Module({})
class RelayApp {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RelayApp,
      imports: [
        PlatformModule.forRoot(config, createLogger('billing', 'silent'), { bus: { topics: [ReceiptIssuedV1] } }),
      ],
    };
  }
}

/**
 * The relay's safety poll is slow (OUTBOX_POLL_MS, 30 s by default; ten minutes here): what a
 * failed pass left must not wait for it. A private broker is killed, a row committed and flushed
 * (the flush fails), the broker restarted: the row goes out with no further flush or poll.
 */
describe('outbox relay across a broker outage', () => {
  let kafka: PrivateInfra;
  let db: TestDatabase;
  let admin: DataSource;
  let app: INestApplication;

  beforeAll(async () => {
    kafka = await PrivateInfra.start(infra(), ['kafka']);
    db = await createTestDatabase();
    admin = createDataSource({ url: db.url, poolMax: 2, ssl: false }, 'outbox-retry-int-spec');
    await admin.initialize();
    await migrateControlPlane(admin);
    const config = loadConfig(
      'billing',
      testEnv(
        {
          databaseUrl: db.url,
          topicPrefix: `t${uniqueSuffix()}.`,
          // A send fails within about a second while the broker is gone (not after two minutes of retries).
          extra: { OUTBOX_POLL_MS: '600000', KAFKA_RETRIES: '5', KAFKA_RETRY_MAX_MS: '200' },
        },
        kafka.urls,
      ),
    );
    app = await createServiceApp(RelayApp.forRoot(config), config, createLogger('billing', 'silent'));
    await app.init();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await admin?.destroy();
    await db?.drop();
    kafka?.destroy();
  });

  it('publishes a row whose flush failed once the broker is back, without waiting for the safety poll', async () => {
    const dataSource = app.get<DataSource>(DATA_SOURCE);
    const writer = app.get(OutboxWriter);
    const relay = app.get(OutboxRelay);
    await kafka.kill('kafka');
    const id = await dataSource.transaction((manager) =>
      writer.add(manager, ReceiptIssuedV1, { tenantId: TENANT, receiptId: randomUUID() }),
    );
    await expect(relay.flush()).rejects.toThrow();
    const published = async () =>
      (
        await admin.query<{ published_at: Date | null }[]>('SELECT published_at FROM control.outbox WHERE id = $1', [
          id,
        ])
      )[0]?.published_at ?? null;
    expect(await published()).toBeNull();
    await kafka.restart();
    await waitFor(async () => (await published()) !== null, {
      timeoutMs: 60_000,
      what: 'the row published after the outage',
    });
  }, 180_000);
});
