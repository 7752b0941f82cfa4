import 'reflect-metadata';
import { Controller, type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Consumer, Kafka } from 'kafkajs';
import { defineCommand, defineEvent } from '@parley/contracts';
import { createLogger } from '@parley/observability';
import { createTestDatabase, testConfig, uniqueSuffix, waitFor, type TestDatabase } from '@parley/testing';
import { OnCommand, OnEvent } from './bus.decorators';
import { KAFKA } from './bus.module';
import { BusProducer } from './bus-producer';
import { BusRequester } from './bus-requester';
import { createServiceApp, PlatformModule } from './platform.module';

const EchoV1 = defineCommand({
  name: 'test.echo.v1',
  schema: z.strictObject({ text: z.string() }),
  replySchema: z.strictObject({ echo: z.string() }),
  key: (m) => m.text,
});
const NotedV1 = defineEvent({
  name: 'test.noted.v1',
  schema: z.strictObject({ note: z.string() }),
  key: (m) => m.note,
});

const notes: string[] = [];

@Controller()
class EchoConsumer {
  @OnCommand(EchoV1)
  echo(@Payload() message: z.infer<typeof EchoV1.schema>) {
    return { echo: message.text.toUpperCase() };
  }

  @OnEvent(NotedV1)
  noted(@Payload() message: z.infer<typeof NotedV1.schema>): void {
    notes.push(message.note);
  }
}

@Module({})
class ConsumerApp {
  static forRoot(config: ReturnType<typeof testConfig>): DynamicModule {
    return {
      module: ConsumerApp,
      imports: [PlatformModule.forRoot(config, createLogger('stt', 'silent'))],
      controllers: [EchoConsumer],
    };
  }
}

@Module({})
class RequesterApp {
  static forRoot(config: ReturnType<typeof testConfig>): DynamicModule {
    return {
      module: RequesterApp,
      imports: [
        PlatformModule.forRoot(config, createLogger('gateway', 'silent'), { bus: { topics: [EchoV1, NotedV1] } }),
      ],
    };
  }
}

/**
 * The production defaults: idle fetches wait seconds (they set the idle cost). Messages must still
 * flow at once, and the requester must not wait for an idle fetch to return before it is ready.
 */
describe('bus with long idle fetches (BUS_FETCH_MAX_WAIT_MS 3000, BUS_REPLY_FETCH_MAX_WAIT_MS 2000)', () => {
  const prefix = `t${uniqueSuffix()}.`;
  let db: TestDatabase;
  let consumerApp: INestApplication;
  let requesterApp: INestApplication;
  const replyConsumers: Consumer[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const extra = {
      BUS_FETCH_MAX_WAIT_MS: '3000',
      BUS_REPLY_FETCH_MAX_WAIT_MS: '2000',
      BUS_CONSUMER_STALE_MS: '10000',
      BUS_REQUEST_TIMEOUT_MS: '10000',
    };
    const consumerConfig = testConfig('stt', { databaseUrl: db.url, topicPrefix: prefix, extra });
    const requesterConfig = testConfig('gateway', { topicPrefix: prefix, extra });
    consumerApp = await createServiceApp(
      ConsumerApp.forRoot(consumerConfig),
      consumerConfig,
      createLogger('stt', 'silent'),
    );
    requesterApp = await createServiceApp(
      RequesterApp.forRoot(requesterConfig),
      requesterConfig,
      createLogger('gateway', 'silent'),
    );
    await Promise.all([consumerApp.init(), requesterApp.init()]);
    // The requester's reply consumer is created on its first use: keep a handle on it (a real one).
    const kafka = requesterApp.get<Kafka>(KAFKA);
    const create = kafka.consumer.bind(kafka);
    kafka.consumer = (config) => {
      const consumer = create(config);
      replyConsumers.push(consumer);
      return consumer;
    };
  });

  afterAll(async () => {
    await requesterApp?.close();
    await consumerApp?.close();
    await db?.drop();
  });

  it('is ready to take replies once its group is joined, before its first idle fetch has returned', async () => {
    const requester = requesterApp.get(BusRequester);
    let fetches = 0;
    const started = requester.start().then(() => fetches);
    await waitFor(() => replyConsumers.length === 1, { what: 'reply consumer created' });
    replyConsumers[0]?.on(replyConsumers[0].events.FETCH, () => fetches++);
    // Nothing is on the reply topic, so the first fetch returns only after 2 s: start() did not wait for it.
    expect(await started).toBe(0);
    const reply = await requester.request(EchoV1, { text: 'first' });
    expect(reply).toEqual({ echo: 'FIRST' });
  });

  it('delivers events and answers requests as they come, one after the other', async () => {
    const requester = requesterApp.get(BusRequester);
    const producer = requesterApp.get(BusProducer);
    for (const text of ['a', 'b', 'c']) {
      expect(await requester.request(EchoV1, { text })).toEqual({ echo: text.toUpperCase() });
    }
    await producer.emit(NotedV1, { note: 'n-1' });
    await waitFor(() => notes.includes('n-1'), { what: 'event consumed' });
  });
});
