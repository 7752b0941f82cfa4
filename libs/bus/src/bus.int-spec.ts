import 'reflect-metadata';
import { Controller, type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Kafka, logLevel } from 'kafkajs';
import {
  BusHeader,
  DEAD_LETTER_TOPIC,
  defineCommand,
  defineEvent,
  DomainException,
  ErrorCode,
} from '@parley/contracts';
import { createLogger, RequestContext, ServiceMetrics } from '@parley/observability';
import {
  createTestDatabase,
  infra,
  testConfig,
  TopicReader,
  uniqueSuffix,
  waitFor,
  type TestDatabase,
} from '@parley/testing';
import type { BusContext } from './bus-context';
import { OnCommand, OnEvent } from './bus.decorators';
import { BusProducer } from './bus-producer';
import { BusRequester } from './bus-requester';
import { createServiceApp, PlatformModule } from './platform.module';

const TENANT = '2f1d7a3c-9b8e-4c5d-a6f7-0e1d2c3b4a59';
const OTHER_TENANT = '7c6b5a49-3827-4615-8a4b-3c2d1e0f9a8b';

const OrderPlacedV1 = defineEvent({
  name: 'test.order-placed.v1',
  schema: z.strictObject({
    tenantId: z.string(),
    orderId: z.string(),
    behaviour: z.enum(['ok', 'fail-always', 'fail-twice']),
  }),
  key: (m) => m.tenantId,
});
const PingV1 = defineCommand({
  name: 'test.ping.v1',
  schema: z.strictObject({ text: z.string(), refuse: z.boolean().optional() }),
  replySchema: z.strictObject({ echo: z.string(), tenantId: z.string().nullable(), requestId: z.string() }),
  key: (m) => m.text,
});
const NobodyListensV1 = defineCommand({
  name: 'test.nobody-listens.v1',
  schema: z.strictObject({ x: z.number() }),
  replySchema: z.strictObject({}),
  key: () => 'k',
});

interface Seen {
  orderId: string;
  attempt: number;
  requestId?: string;
  traceparent?: string;
  tenantId?: string;
}
const seen: Seen[] = [];

@Controller()
class TestConsumer {
  @OnEvent(OrderPlacedV1)
  placed(@Payload() message: z.infer<typeof OrderPlacedV1.schema>, @Ctx() ctx: BusContext): void {
    const c = RequestContext.current();
    seen.push({
      orderId: message.orderId,
      attempt: ctx.getAttempt(),
      requestId: c?.requestId,
      traceparent: c?.traceparent,
      tenantId: c?.tenantId,
    });
    if (message.behaviour === 'fail-always') throw new Error('poison: cannot handle this order');
    if (message.behaviour === 'fail-twice' && ctx.getAttempt() <= 2) throw new Error('transient');
  }

  @OnCommand(PingV1)
  ping(@Payload() message: z.infer<typeof PingV1.schema>) {
    if (message.refuse) throw new DomainException(ErrorCode.Conflict, 'refused on purpose');
    const c = RequestContext.current();
    return { echo: message.text.toUpperCase(), tenantId: c?.tenantId ?? null, requestId: c?.requestId ?? '' };
  }
}

@Module({})
class ConsumerApp {
  static forRoot(config: ReturnType<typeof testConfig>): DynamicModule {
    return {
      module: ConsumerApp,
      imports: [PlatformModule.forRoot(config, createLogger('stt', 'silent'))],
      controllers: [TestConsumer],
    };
  }
}

@Module({})
class ProducerApp {
  static forRoot(config: ReturnType<typeof testConfig>): DynamicModule {
    return {
      module: ProducerApp,
      imports: [
        PlatformModule.forRoot(config, createLogger('gateway', 'silent'), {
          bus: { topics: [OrderPlacedV1, PingV1, NobodyListensV1], warmRequester: true },
        }),
      ],
    };
  }
}

describe('bus across the real Kafka broker', () => {
  const prefix = `t${uniqueSuffix()}.`;
  let db: TestDatabase;
  let consumerApp: INestApplication;
  let producerApp: INestApplication;
  let producer: BusProducer;
  let requester: BusRequester;
  let deadLetters: TopicReader;

  beforeAll(async () => {
    db = await createTestDatabase();
    const extra = {
      BUS_MAX_RETRIES: '2',
      BUS_RETRY_BACKOFF_MS: '20',
      BUS_REQUEST_TIMEOUT_MS: '1500',
      KAFKA_TOPIC_PARTITIONS: '4',
    };
    const consumerConfig = testConfig('stt', { databaseUrl: db.url, topicPrefix: prefix, extra });
    const producerConfig = testConfig('gateway', { topicPrefix: prefix, extra });
    consumerApp = await createServiceApp(
      ConsumerApp.forRoot(consumerConfig),
      consumerConfig,
      createLogger('stt', 'silent'),
    );
    producerApp = await createServiceApp(
      ProducerApp.forRoot(producerConfig),
      producerConfig,
      createLogger('gateway', 'silent'),
    );
    await Promise.all([consumerApp.init(), producerApp.init()]);
    producer = producerApp.get(BusProducer);
    requester = producerApp.get(BusRequester);
    deadLetters = await new TopicReader(infra().KAFKA_BROKERS.split(','), `${prefix}${DEAD_LETTER_TOPIC}`).start();
  });

  afterAll(async () => {
    await deadLetters?.stop();
    await producerApp?.close();
    await consumerApp?.close();
    await db?.drop();
  });

  it('creates its topics at start with the configured partitions (broker auto-creation is off)', async () => {
    const kafka = new Kafka({
      clientId: 'meta',
      brokers: infra().KAFKA_BROKERS.split(','),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topics = [OrderPlacedV1.name, PingV1.name, DEAD_LETTER_TOPIC, 'bus.reply-gateway.v1'].map(
        (t) => `${prefix}${t}`,
      );
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      expect(meta.map((t) => [t.name, t.partitions.length]).sort()).toEqual(topics.map((t) => [t, 4]).sort());
    } finally {
      await admin.disconnect();
    }
  });

  it('delivers an event from one service to another with request, trace and tenant context restored', async () => {
    const sent = {
      requestId: `req-${uniqueSuffix()}`,
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    };
    await RequestContext.run({ ...sent, tenantId: TENANT }, () =>
      producer.emit(OrderPlacedV1, { tenantId: TENANT, orderId: 'o-1', behaviour: 'ok' }),
    );
    const got = await waitFor(() => seen.find((s) => s.orderId === 'o-1'), { what: 'o-1 consumed' });
    expect(got.requestId).toBe(sent.requestId);
    expect(got.tenantId).toBe(TENANT);
    expect(got.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
  });

  it('dead-letters a poison message after the configured retries, and the partition keeps flowing', async () => {
    await producer.emit(OrderPlacedV1, { tenantId: TENANT, orderId: 'poison-1', behaviour: 'fail-always' });
    await producer.emit(OrderPlacedV1, { tenantId: TENANT, orderId: 'after-poison', behaviour: 'ok' }); // same key, same partition
    const dead = await waitFor(() => deadLetters.messages.find((m) => m.value?.includes('poison-1')), {
      what: 'dead letter',
    });
    expect(seen.filter((s) => s.orderId === 'poison-1').map((s) => s.attempt)).toEqual([1, 2, 3]); // 1 + BUS_MAX_RETRIES
    expect(dead.headers[BusHeader.OriginalTopic]).toBe(OrderPlacedV1.name);
    expect(dead.headers[BusHeader.DeadLetterReason]).toMatch(
      /Failed after 3 attempts: poison: cannot handle this order/,
    );
    expect(dead.headers[BusHeader.ConsumerGroup]).toBe(`${prefix}stt`);
    expect(dead.headers[BusHeader.TenantId]).toBe(TENANT);
    await waitFor(() => seen.find((s) => s.orderId === 'after-poison'), { what: 'message after the poison one' });
    const metrics = await consumerApp.get(ServiceMetrics).registry.getSingleMetricAsString('bus_dead_letter_total');
    expect(metrics).toMatch(/bus_dead_letter_total\{topic="test.order-placed.v1",service="stt"\} 1/);
  });

  it('recovers from a transient failure within the retry budget', async () => {
    await producer.emit(OrderPlacedV1, { tenantId: TENANT, orderId: 'flaky', behaviour: 'fail-twice' });
    await waitFor(() => seen.filter((s) => s.orderId === 'flaky').length === 3, { what: 'third attempt' });
    await new Promise((r) => setTimeout(r, 300));
    expect(deadLetters.messages.some((m) => m.value?.includes('flaky'))).toBe(false);
  });

  it('dead-letters a message that breaks its contract at once, without calling the handler', async () => {
    const kafka = new Kafka({ clientId: 'raw', brokers: infra().KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
    const raw = kafka.producer();
    await raw.connect();
    await raw.send({
      topic: `${prefix}${OrderPlacedV1.name}`,
      messages: [
        { key: TENANT, value: JSON.stringify({ tenantId: TENANT, orderId: 'bad-1', behaviour: 'explode', extra: 1 }) },
      ],
    });
    await raw.send({ topic: `${prefix}${OrderPlacedV1.name}`, messages: [{ key: TENANT, value: '{not json' }] });
    await raw.disconnect();
    const invalid = await waitFor(() => deadLetters.messages.find((m) => m.value?.includes('bad-1')), {
      what: 'invalid message dead-lettered',
    });
    expect(invalid.headers[BusHeader.DeadLetterCode]).toBe('validation_failed');
    expect(invalid.headers[BusHeader.DeadLetterReason]).toMatch(/behaviour/);
    const malformed = await waitFor(() => deadLetters.messages.find((m) => m.value === '{not json'), {
      what: 'malformed dead-lettered',
    });
    expect(malformed.headers[BusHeader.DeadLetterCode]).toBe('malformed_json');
    expect(seen.some((s) => s.orderId === 'bad-1')).toBe(false);
  });

  it('gives a redelivered message its effect once', async () => {
    const messageId = crypto.randomUUID();
    await producer.emit(OrderPlacedV1, { tenantId: TENANT, orderId: 'dup', behaviour: 'ok' }, { messageId });
    await producer.emit(OrderPlacedV1, { tenantId: TENANT, orderId: 'dup', behaviour: 'ok' }, { messageId });
    await producer.emit(OrderPlacedV1, { tenantId: TENANT, orderId: 'after-dup', behaviour: 'ok' });
    await waitFor(() => seen.find((s) => s.orderId === 'after-dup'), { what: 'message after the duplicate' });
    expect(seen.filter((s) => s.orderId === 'dup')).toHaveLength(1);
    const metrics = await consumerApp
      .get(ServiceMetrics)
      .registry.getSingleMetricAsString('bus_messages_handled_total');
    expect(metrics).toMatch(/outcome="duplicate",service="stt"\} 1/);
  });

  it('keeps order within a key while other keys run concurrently', async () => {
    const keys = [TENANT, OTHER_TENANT];
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        producer.emit(OrderPlacedV1, {
          tenantId: keys[i % 2] as string,
          orderId: `ord-${i % 2}-${String(i).padStart(3, '0')}`,
          behaviour: 'ok',
        }),
      ),
    );
    await waitFor(() => seen.filter((s) => s.orderId.startsWith('ord-')).length === 60, {
      what: '60 ordered messages',
    });
    for (const lane of ['ord-0-', 'ord-1-']) {
      const order = seen.filter((s) => s.orderId.startsWith(lane)).map((s) => s.orderId);
      expect(order).toEqual([...order].sort());
      expect(order).toHaveLength(30);
    }
  });

  it('refuses to publish a message for another tenant than the context', async () => {
    await expect(
      RequestContext.run(
        {
          requestId: 'r',
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
          tenantId: OTHER_TENANT,
        },
        () => producer.emit(OrderPlacedV1, { tenantId: TENANT, orderId: 'cross', behaviour: 'ok' }),
      ),
    ).rejects.toThrow(/another tenant/);
    await expect(producer.emit(OrderPlacedV1, { tenantId: TENANT, orderId: 'x' } as never)).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('answers a request with the handler result, in the caller context', async () => {
    const reply = await RequestContext.run(
      {
        requestId: 'req-ping',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        tenantId: TENANT,
      },
      () => requester.request(PingV1, { text: 'hello' }),
    );
    expect(reply).toEqual({ echo: 'HELLO', tenantId: TENANT, requestId: 'req-ping' });
    const many = await Promise.all(Array.from({ length: 50 }, (_, i) => requester.request(PingV1, { text: `m${i}` })));
    expect(many.map((r) => r.echo)).toEqual(Array.from({ length: 50 }, (_, i) => `M${i}`));
  });

  it('turns a domain error in the handler into a rejected request with its code, not a dead letter', async () => {
    await expect(requester.request(PingV1, { text: 'no', refuse: true })).rejects.toMatchObject({
      code: 'conflict',
      message: 'refused on purpose',
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(deadLetters.messages.some((m) => m.value?.includes('"refuse":true'))).toBe(false);
  });

  it('times out a request nobody answers with a clear error', async () => {
    const started = Date.now();
    await expect(requester.request(NobodyListensV1, { x: 1 }, { timeoutMs: 400 })).rejects.toMatchObject({
      code: 'bus_request_timeout',
      message: 'No reply to test.nobody-listens.v1 within 400 ms',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300); // it waited (timer granularity aside) rather than failing at once
  });
});
