import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusHeader, UsageRecordedV1, type MessageOf } from '@parley/contracts';
import { createDataSource, migrateControlPlane, migrateSchema } from '@parley/tenancy';
import {
  createTestDatabase,
  freePort,
  infra,
  ServiceProcess,
  sharedStripeMock,
  StripeRecorder,
  testEnv,
  uniqueSuffix,
  waitFor,
  type TestDatabase,
} from '@parley/testing';
import { BILLING_SCHEMA_PLAN } from '../billing-schema/migrations/billing-migrations';
import { billingTestEnv } from '../../testing/billing-stack';

const MESSAGES = 10_000;
const UNIQUE = 4_000;
const TENANTS = 5;

type Usage = MessageOf<typeof UsageRecordedV1>;

function usage(tenantId: string, i: number): Usage {
  const audio = i % 5 === 0;
  return {
    usageId: randomUUID(),
    tenantId,
    userId: randomUUID(),
    apiKeyId: null,
    kind: audio ? 'stt_seconds' : 'chat_tokens',
    sourceId: `msg-${i}`,
    provider: audio ? null : 'anthropic',
    model: audio ? 'whisper-small' : 'claude-sonnet-4-5',
    promptTokens: audio ? 0 : 10 + (i % 97),
    completionTokens: audio ? 0 : 5 + (i % 13),
    quantity: audio ? 1.5 + (i % 7) * 2.25 : 0,
    estimated: false,
    costMicros: 100 + i,
    priceTableVersion: '2025-01',
    recordedAt: new Date().toISOString(),
  };
}

const traceparent = () => `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;

describe('the usage ledger under a crash (10,000 usage events with duplicates, billing killed -9 mid-batch)', () => {
  let db: TestDatabase;
  let pg: DataSource;
  let recorder: StripeRecorder;
  let producer: Producer;
  let billing: ServiceProcess;
  let topic: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    const { env: mock } = await sharedStripeMock();
    recorder = await StripeRecorder.start(mock);
    db = await createTestDatabase();
    pg = createDataSource({ url: db.url, poolMax: 4, ssl: false }, 'ledger-crash');
    await pg.initialize();
    await migrateControlPlane(pg);
    await migrateSchema(pg, BILLING_SCHEMA_PLAN);
    const prefix = `ledger${uniqueSuffix()}.`;
    topic = `${prefix}${UsageRecordedV1.name}`;
    const kafka = new Kafka({
      clientId: `ledger-crash-${uniqueSuffix()}`,
      brokers: infra().KAFKA_BROKERS.split(','),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }] });
    await admin.disconnect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    env = {
      ...testEnv({ databaseUrl: db.url, topicPrefix: prefix }),
      LOG_LEVEL: 'warn',
      ...billingTestEnv(recorder.url),
      BILLING_METER_BATCH_SIZE: '100',
      BILLING_METER_INTERVAL_MS: '20',
      BILLING_METER_LEASE_MS: '2000',
      BILLING_RECONCILE_INTERVAL_MS: '500',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    };
    billing = new ServiceProcess('billing', await freePort(), env);
  });

  afterAll(async () => {
    await billing?.stop();
    await producer?.disconnect();
    await recorder?.close();
    await pg?.destroy();
    await db?.drop();
  });

  async function publish(batch: { message: Usage; messageId: string }[]): Promise<void> {
    for (let i = 0; i < batch.length; i += 500) {
      await producer.send({
        topic,
        messages: batch.slice(i, i + 500).map(({ message, messageId }) => ({
          key: message.tenantId,
          value: JSON.stringify(message),
          headers: {
            [BusHeader.MessageId]: messageId,
            [BusHeader.RequestId]: randomUUID(),
            [BusHeader.Traceparent]: traceparent(),
            [BusHeader.TenantId]: message.tenantId,
            [BusHeader.Topic]: UsageRecordedV1.name,
            [BusHeader.ProducedAt]: new Date().toISOString(),
            [BusHeader.Producer]: 'chat-orchestrator',
          },
        })),
      });
    }
  }

  const count = async (sql: string) => Number((await pg.query<{ n: string }[]>(sql))[0]?.n ?? 0);

  it('writes each usage id once, reports each to Stripe with its identifier, and totals the unique usage', async () => {
    const tenants = Array.from({ length: TENANTS }, () => randomUUID());
    for (const [i, tenantId] of tenants.entries()) {
      await pg.query(`INSERT INTO billing.customers (tenant_id, stripe_customer_id) VALUES ($1, $2)`, [
        tenantId,
        `cus_crash${i}`,
      ]);
    }
    const unique = Array.from({ length: UNIQUE }, (_, i) => ({
      message: usage(tenants[i % TENANTS] as string, i),
      messageId: randomUUID(),
    }));
    // 10,000 deliveries: every usage once, then duplicates — half redeliveries of the same message
    // (the inbox dedupes), half re-publications under a new message id (only the ledger's key dedupes).
    const deliveries = [...unique];
    for (let i = 0; deliveries.length < MESSAGES; i++) {
      const original = unique[(i * 7919) % UNIQUE] as (typeof unique)[number];
      deliveries.push(i % 2 === 0 ? original : { message: original.message, messageId: randomUUID() });
    }
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [deliveries[i], deliveries[j]] = [
        deliveries[j] as (typeof deliveries)[number],
        deliveries[i] as (typeof deliveries)[number],
      ];
    }

    billing.start();
    await billing.waitReady(90_000);
    await publish(deliveries.slice(0, MESSAGES / 2));
    // Killed while it consumes and reports: some rows written, some reported, neither finished.
    // A batch in flight: rows claimed by the reporter and not yet acknowledged by Stripe.
    await waitFor(
      async () =>
        (await count(`SELECT count(*) AS n FROM billing.usage_ledger WHERE reported_at IS NOT NULL`)) >= 300 &&
        (await count(
          `SELECT count(*) AS n FROM billing.usage_ledger WHERE reported_at IS NULL AND claimed_until > now()`,
        )) > 0,
      { timeoutMs: 90_000, intervalMs: 5, what: 'the reporter in the middle of a batch' },
    );
    billing.signal('SIGKILL');
    const writtenAtKill = await count(`SELECT count(*) AS n FROM billing.usage_ledger`);
    const reportedAtKill = await count(`SELECT count(*) AS n FROM billing.usage_ledger WHERE reported_at IS NOT NULL`);
    expect(writtenAtKill).toBeLessThan(UNIQUE);
    expect(reportedAtKill).toBeLessThan(UNIQUE);

    await publish(deliveries.slice(MESSAGES / 2));
    billing.start();
    await billing.waitReady(90_000);
    await waitFor(
      async () =>
        (await count(`SELECT count(*) AS n FROM billing.usage_ledger WHERE reported_at IS NOT NULL`)) === UNIQUE,
      { timeoutMs: 180_000, intervalMs: 250, what: 'every unique usage reported' },
    );

    const expectedTotal = unique.reduce((sum, { message }) => {
      const q = message.kind === 'chat_tokens' ? message.promptTokens + message.completionTokens : message.quantity;
      return sum + q;
    }, 0);
    const [ledger] = await pg.query<{ rows: string; total: string; mismatched: string }[]>(
      `SELECT count(*) AS rows, sum(quantity)::text AS total,
              count(*) FILTER (WHERE reported_identifier IS DISTINCT FROM usage_id::text) AS mismatched
         FROM billing.usage_ledger`,
    );
    expect(Number(ledger?.rows)).toBe(UNIQUE);
    expect(Number(ledger?.total)).toBeCloseTo(expectedTotal, 3);
    expect(Number(ledger?.mismatched)).toBe(0);

    const meterCalls = recorder.callsTo('POST', '/v1/billing/meter_events');
    expect(meterCalls.every((c) => typeof c.params.identifier === 'string' && c.params.identifier.length > 0)).toBe(
      true,
    );
    expect(meterCalls.every((c) => c.idempotencyKey === `meter-event:${c.params.identifier}`)).toBe(true);
    const identifiers = new Set(meterCalls.map((c) => c.params.identifier));
    expect(identifiers).toEqual(new Set(unique.map((u) => u.message.usageId)));
    process.stdout.write(
      `ledger crash: ${MESSAGES} deliveries, ${UNIQUE} unique; at the kill ${writtenAtKill} written, ` +
        `${reportedAtKill} reported; ${meterCalls.length} meter-event calls for ${identifiers.size} identifiers ` +
        `(${meterCalls.length - identifiers.size} resent after the crash, deduplicated by Stripe on the identifier)\n`,
    );
  });
});
