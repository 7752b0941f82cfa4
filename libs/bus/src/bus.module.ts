import {
  type DynamicModule,
  Global,
  Inject,
  type INestApplication,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DEAD_LETTER_TOPIC, type TopicDefinition } from '@parley/contracts';
import { HealthRegistry, LOGGER, ServiceMetrics, type Logger } from '@parley/observability';
import { REDIS } from '@parley/tenancy';
import { BusProducer } from './bus-producer';
import { BusRequester } from './bus-requester';
import { cachedCheck } from './cached-check';
import { InboxStore } from './inbox-store';
import { consumerRetry, createKafkaClient } from './kafka-client.factory';
import { KafkaBusServer } from './kafka-bus.server';
import { TopicAdmin } from './topic-admin';
import { TopicNamer } from './topic-namer';

export const KAFKA = Symbol('KAFKA');
/** Longest a service waits for Kafka at start before it listens anyway (readiness says kafka down). */
export const BOOT_KAFKA_WAIT_MS = 5000;
const BUS_OPTIONS = Symbol('BUS_OPTIONS');
/** How long a readiness call waits for the Kafka probe (under the registry's 2 s per check). */
const KAFKA_PROBE_WAIT_MS = 1500;

export interface BusModuleOptions {
  /** Topics this service publishes or sends commands to; created at start if missing. */
  topics?: readonly TopicDefinition[];
  /** Start the reply consumer at boot instead of on the first request. */
  warmRequester?: boolean;
}

/**
 * Kafka for one service: the typed producer, the request/reply client, the consumer transport and
 * a readiness check. Use `connectBus(app)` after creating the app to start consuming.
 */
@Global()
@Module({})
export class BusModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(BUS_OPTIONS) private readonly options: BusModuleOptions,
    private readonly admin: TopicAdmin,
    private readonly names: TopicNamer,
    private readonly producer: BusProducer,
    private readonly requester: BusRequester,
    private readonly health: HealthRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private stopped = false;

  static forRoot(options: BusModuleOptions = {}): DynamicModule {
    return {
      module: BusModule,
      providers: [
        { provide: BUS_OPTIONS, useValue: options },
        {
          provide: KAFKA,
          inject: [APP_CONFIG, LOGGER],
          useFactory: (config: AppConfig, logger: Logger) => createKafkaClient(config.kafka, logger),
        },
        {
          provide: TopicNamer,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => new TopicNamer(config.kafka.topicPrefix),
        },
        {
          provide: TopicAdmin,
          inject: [KAFKA, APP_CONFIG],
          useFactory: (kafka: Kafka, config: AppConfig) =>
            new TopicAdmin(kafka, config.kafka.partitions, config.kafka.replicationFactor),
        },
        {
          provide: BusProducer,
          inject: [KAFKA, TopicNamer, APP_CONFIG, ServiceMetrics],
          useFactory: (kafka: Kafka, names: TopicNamer, config: AppConfig, metrics: ServiceMetrics) =>
            new BusProducer(kafka, names, config.service, metrics, config.kafka.retryMaxMs),
        },
        { provide: InboxStore, inject: [REDIS], useFactory: (redis: Redis) => new InboxStore(redis) },
        {
          provide: BusRequester,
          inject: [KAFKA, TopicNamer, APP_CONFIG, BusProducer, TopicAdmin, ServiceMetrics, LOGGER],
          useFactory: (
            kafka: Kafka,
            names: TopicNamer,
            config: AppConfig,
            producer: BusProducer,
            admin: TopicAdmin,
            metrics: ServiceMetrics,
            logger: Logger,
          ) =>
            new BusRequester(
              kafka,
              names,
              config.service,
              config.instanceId,
              producer,
              admin,
              config.bus.requestTimeoutMs,
              config.bus.replyFetchMaxWaitMs,
              consumerRetry(config.kafka),
              metrics,
              logger,
            ),
        },
        {
          provide: KafkaBusServer,
          inject: [
            KAFKA,
            TopicNamer,
            APP_CONFIG,
            BusProducer,
            TopicAdmin,
            InboxStore,
            ServiceMetrics,
            LOGGER,
            HealthRegistry,
          ],
          useFactory: (
            kafka: Kafka,
            names: TopicNamer,
            config: AppConfig,
            producer: BusProducer,
            admin: TopicAdmin,
            inbox: InboxStore,
            metrics: ServiceMetrics,
            logger: Logger,
            health: HealthRegistry,
          ) =>
            new KafkaBusServer(
              kafka,
              names,
              names.group(config.service),
              producer,
              admin,
              inbox,
              config.bus,
              config.kafka,
              metrics,
              logger,
              health,
              config.database?.poolMax,
            ),
        },
      ],
      exports: [BusProducer, BusRequester, KafkaBusServer, TopicNamer, TopicAdmin, KAFKA],
    };
  }

  async onModuleInit(): Promise<void> {
    // Readiness is a real produce to this instance's reply topic, consumed back when the reply
    // consumer runs: a broker that answers metadata but cannot take or hand out messages is down.
    this.health.register(
      'kafka',
      cachedCheck(() => this.requester.probe(), this.config.bus.readinessCacheMs, KAFKA_PROBE_WAIT_MS),
    );
    // Kafka down at boot must not keep the service from listening: wait for the topics and the
    // producer at most BOOT_KAFKA_WAIT_MS, then go on in the background (readiness shows it).
    const prepared = this.prepareWithRetry();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([prepared, new Promise((r) => (timer = setTimeout(r, BOOT_KAFKA_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** Topics, producer and (if asked) the reply consumer, retried with backoff until they work. */
  private async prepareWithRetry(): Promise<void> {
    const topics = [...(this.options.topics ?? []).map((t) => t.name), DEAD_LETTER_TOPIC];
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.admin.ensureTopics(topics.map((name) => this.names.physical(name)));
        await this.producer.connect();
        if (this.options.warmRequester) await this.requester.start();
        return;
      } catch (error) {
        const delay = Math.min(250 * 2 ** attempt, 4000);
        this.logger.warn({ err: error, retryInMs: delay }, 'Kafka not reachable at start; retrying in the background');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.requester.close();
    await this.producer.close();
    await this.admin.close();
  }
}

/** Connects the Kafka consumer transport to a Nest app and starts consuming. */
export async function connectBus(app: INestApplication): Promise<void> {
  app.connectMicroservice({ strategy: app.get(KafkaBusServer) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
}
