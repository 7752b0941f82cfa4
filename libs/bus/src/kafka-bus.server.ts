import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import {
  BusHeader,
  DEAD_LETTER_TOPIC,
  DomainException,
  ErrorCode,
  type ReplyEnvelope,
  type TopicDefinition,
} from '@parley/contracts';
import type { BusConfig, KafkaConfig } from '@parley/config';
import {
  ATTR_TENANT_ID,
  childTraceparent,
  contextFromHeaders,
  failActiveSpan,
  inSpan,
  RequestContext,
  SpanKind,
  traceparentOf,
  type HealthRegistry,
  type Logger,
  type ServiceMetrics,
} from '@parley/observability';
import { BusContext } from './bus-context';
import { ConsumerActivity } from './consumer-activity';
import { ConsumerLag } from './consumer-lag';
import { ConsumerStartup } from './consumer-startup';
import { HandlerLimiter } from './handler-limiter';
import { DeadLetter, describe, isPastDeadline } from './message-outcome';
import type { BusProducer } from './bus-producer';
import { decodeHeaders, encodeHeaders, type DecodedHeaders } from './headers';
import type { InboxStore } from './inbox-store';
import { consumerRetry } from './kafka-client.factory';
import type { TopicAdmin } from './topic-admin';
import type { TopicNamer } from './topic-namer';

interface Route {
  definition: TopicDefinition;
  handler: MessageHandler;
}

const CONSUMER_SESSION_TIMEOUT_MS = 10_000;

/** Keys of one partition batch handled at once (each key stays in order). */
const KEY_CONCURRENCY = 32;

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Nest transport strategy over kafkajs. One consumer group per service. Each message: dedupe on
 * its id, validate against its contract (invalid → dead-letter at once), restore request/trace/
 * tenant context from headers, run the handler, retry a bounded number of times with exponential
 * backoff, then dead-letter with the reason and commit. Commands get a reply on the requester's
 * reply topic. Offsets are committed only after the outcome (handled, dead-lettered) is durable.
 */
export class KafkaBusServer extends Server implements CustomTransportStrategy {
  private consumer: Consumer | undefined;
  private readonly startup: ConsumerStartup;
  private readonly activity: ConsumerActivity;
  private readonly limiter: HandlerLimiter;
  private readonly routes = new Map<string, Route>();

  constructor(
    private readonly kafka: Kafka,
    private readonly names: TopicNamer,
    private readonly groupId: string,
    private readonly producer: BusProducer,
    private readonly admin: TopicAdmin,
    private readonly inbox: InboxStore,
    private readonly bus: BusConfig,
    private readonly kafkaConfig: KafkaConfig,
    private readonly metrics: ServiceMetrics,
    private readonly log: Logger,
    private readonly health: HealthRegistry,
    /** Database pool size of the service, if it has one: handlers run at most half of it at once. */
    poolMax?: number,
  ) {
    super();
    this.activity = new ConsumerActivity(bus.consumerStaleMs);
    this.limiter = HandlerLimiter.forPool(poolMax, KEY_CONCURRENCY * kafkaConfig.partitions);
    this.startup = new ConsumerStartup(
      {
        dependencies: () => this.health.ensure(['postgres', 'redis']),
        join: () => this.join(),
        cleanup: async () => {
          const consumer = this.consumer;
          this.consumer = undefined;
          await consumer?.disconnect();
        },
      },
      this.log,
    );
  }

  override on(): void {
    throw new Error('KafkaBusServer does not expose transport events');
  }

  override unwrap<T>(): T {
    return this.consumer as T;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private collectRoutes(): void {
    for (const [pattern, handler] of this.messageHandlers) {
      const definition = (handler.extras as { topic?: TopicDefinition } | undefined)?.topic;
      if (!definition) throw new Error(`Handler for "${pattern}" must use @OnEvent/@OnCommand with a contract`);
      if (handler.next) throw new Error(`More than one handler for ${pattern} in one service`);
      this.routes.set(definition.name, { definition, handler });
    }
  }

  /**
   * Returns at once: the consumers start in the background (ConsumerStartup), so the service
   * listens while they wait for Postgres/Redis and join their group; readiness reports
   * `kafka-consumers` down ("consumers joining", "waiting for dependencies") until they consume,
   * and down again whenever the joined consumer stops fetching (ConsumerActivity).
   */
  private async start(): Promise<void> {
    this.collectRoutes();
    if (this.routes.size === 0) return;
    new ConsumerLag(
      this.admin,
      this.names,
      this.groupId,
      [...this.routes.keys()],
      this.bus.lagSampleMs,
      this.log,
    ).register(this.metrics);
    // Up only once the group is joined and, after that, while it keeps fetching or heartbeating.
    this.health.register('kafka-consumers', async () => {
      await this.startup.check();
      this.activity.assertAlive();
    });
    void this.startup.run();
  }

  private async join(): Promise<void> {
    await this.producer.connect();
    const physical = [...this.routes.keys()].map((name) => this.names.physical(name));
    await this.admin.ensureTopics([...physical, this.names.physical(DEAD_LETTER_TOPIC)]);
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      allowAutoTopicCreation: false,
      // After a broker restart the group waits for the old member's session to expire before it
      // rejoins: 10 s (not kafkajs' 30 s); batches heartbeat between messages.
      sessionTimeout: CONSUMER_SESSION_TIMEOUT_MS,
      heartbeatInterval: 1000,
      // Idle, a fetch waits this long for data (it returns as soon as a message arrives) and kafkajs
      // heartbeats only between fetches: so this sets the idle cost, one fetch and one heartbeat per
      // wait, and stays under a third of the session (config caps it at 3 s).
      maxWaitTimeInMs: this.bus.fetchMaxWaitMs,
      // Ride out an outage in the fetch loop (same member, no rebalance once the broker is back)
      // rather than crash: a restart is a new member that waits for the old one's session.
      retry: consumerRetry(this.kafkaConfig),
    });
    this.consumer = consumer;
    this.activity.watch(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: physical, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    // A crash kafkajs does not restart itself from (retries exhausted) starts the consumers again.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.consumer !== consumer) return;
      this.log.error({ err: payload.error }, 'Consumer crashed; starting it again');
      void this.startup.cleanupAndRestart();
    });
    await consumer.run({
      partitionsConsumedConcurrently: this.kafkaConfig.partitions,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.activity.batch(() => this.onBatch(payload)),
    });
    await joined;
  }

  async close(): Promise<void> {
    this.startup.close();
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  /**
   * Messages of a fetched batch run concurrently across keys and in order within a key (the key
   * carries ordering). Offsets are resolved only up to the last message before which every
   * message finished, so a failure re-delivers from there (the inbox absorbs the repeats).
   */
  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const byKey = new Map<string, KafkaMessage[]>();
    for (const message of batch.messages) {
      const key = message.key ? message.key.toString('base64') : '';
      const list = byKey.get(key) ?? [];
      list.push(message);
      byKey.set(key, list);
    }
    const done = new Set<string>();
    let failure: unknown;
    const queues = [...byKey.values()];
    const lane = async (): Promise<void> => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const message of queue) {
          if (failure !== undefined || !payload.isRunning() || payload.isStale()) return;
          try {
            await this.limiter.run(() => this.onMessage({ topic: batch.topic, partition: batch.partition, message }));
            done.add(message.offset);
            await payload.heartbeat();
          } catch (error) {
            failure ??= error;
            return;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(KEY_CONCURRENCY, queues.length) }, lane));
    let resolved: string | undefined;
    for (const message of batch.messages) {
      if (!done.has(message.offset)) break;
      resolved = message.offset;
    }
    if (resolved !== undefined) payload.resolveOffset(resolved);
    await payload.commitOffsetsIfNecessary();
    if (failure !== undefined)
      throw failure instanceof Error ? failure : new Error('Batch handling failed', { cause: failure });
  }

  private async onMessage({
    topic,
    partition,
    message,
  }: {
    topic: string;
    partition: number;
    message: KafkaMessage;
  }): Promise<void> {
    const logical = this.names.logical(topic);
    const headers = decodeHeaders(message.headers);
    const messageId = headers[BusHeader.MessageId] ?? `${topic}:${partition}:${message.offset}`;
    const tenantHeader = headers[BusHeader.TenantId];
    const tenantId = tenantHeader && TENANT_ID.test(tenantHeader) ? tenantHeader : undefined;
    // The consumer span is a child of the producer's span (its context is the message's traceparent).
    const attributes = {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': logical,
      'messaging.destination.partition.id': String(partition),
      'messaging.consumer.group.name': this.groupId,
      'messaging.kafka.offset': Number(message.offset),
      'messaging.message.id': messageId,
      ...(tenantId ? { [ATTR_TENANT_ID]: tenantId } : {}),
    };
    await inSpan(
      `process ${logical}`,
      { kind: SpanKind.CONSUMER, attributes, parent: contextFromHeaders(headers) },
      () => {
        const context = {
          requestId: RequestContext.sanitizeRequestId(headers[BusHeader.RequestId]),
          traceparent:
            traceparentOf() ?? childTraceparent(RequestContext.sanitizeTraceparent(headers[BusHeader.Traceparent])),
          tenantId,
          userId: headers[BusHeader.UserId],
          messageId,
        };
        return RequestContext.run(context, () =>
          this.process(logical, topic, partition, message.offset, message.value, headers, messageId, tenantId),
        );
      },
    );
  }

  private async process(
    logical: string,
    topic: string,
    partition: number,
    offset: string,
    value: Buffer | null,
    headers: DecodedHeaders,
    messageId: string,
    tenantId: string | undefined,
  ): Promise<void> {
    const started = performance.now();
    const route = this.routes.get(logical);
    if (!route) return; // not ours (should not happen: we only subscribe to our topics)
    if (await this.inbox.seen(this.groupId, messageId, tenantId)) {
      this.metrics.busHandled.inc({ topic: logical, outcome: 'duplicate' });
      return;
    }
    if (isPastDeadline(headers)) {
      // The requester gave up on it (x-deadline passed): running it now would create what nobody
      // waits for (e.g. a tenant whose sign-up already answered 504). Dropped, counted, not retried.
      this.metrics.busHandled.inc({ topic: logical, outcome: 'expired' });
      this.log.warn(
        { topic: logical, partition, offset, deadline: headers[BusHeader.Deadline] },
        'Command past its deadline dropped',
      );
      await this.inbox.markDone(this.groupId, messageId, tenantId);
      return;
    }
    const isRequest = route.definition.kind === 'command' && headers[BusHeader.ReplyTo] !== undefined;
    try {
      const payload = this.decode(route.definition, value);
      const result = await this.invokeWithRetries(route, payload, logical, [topic, partition, offset, headers]);
      if (isRequest) await this.reply(headers, { ok: true, value: result });
      this.metrics.busHandled.inc({ topic: logical, outcome: 'ok' });
    } catch (error) {
      const { code, message } = describe(error);
      failActiveSpan(error);
      const exhausted = error instanceof DeadLetter || !(error instanceof DomainException) || error.retryable;
      if (isRequest) await this.reply(headers, { ok: false, error: { code, message } });
      if (exhausted || !isRequest) {
        await this.deadLetter(topic, partition, offset, value, headers, code, message);
      }
      this.metrics.busHandled.inc({ topic: logical, outcome: exhausted || !isRequest ? 'dead_letter' : 'rejected' });
    } finally {
      this.metrics.busDuration.observe({ topic: logical }, (performance.now() - started) / 1000);
    }
    await this.inbox.markDone(this.groupId, messageId, tenantId);
  }

  private decode(definition: TopicDefinition, value: Buffer | null): unknown {
    let raw: unknown;
    try {
      raw = JSON.parse(value?.toString('utf8') ?? 'null');
    } catch {
      throw new DeadLetter(ErrorCode.MalformedJson, 'Message value is not valid JSON');
    }
    const parsed = definition.schema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new DeadLetter(ErrorCode.ValidationFailed, `Message breaks ${definition.name}: ${issues}`);
    }
    return parsed.data;
  }

  private async invokeWithRetries(
    route: Route,
    payload: unknown,
    logical: string,
    where: [string, number, string, DecodedHeaders],
  ): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        const context = new BusContext([...where, attempt]);
        const output: unknown = await route.handler(payload, context);
        const value = isObservable(output) ? await lastValueFrom(output, { defaultValue: undefined }) : output;
        if (route.definition.kind === 'command') {
          const reply = route.definition.replySchema.safeParse(value);
          if (!reply.success) throw new DeadLetter(ErrorCode.Internal, `Handler reply breaks ${route.definition.name}`);
          return reply.data;
        }
        return value;
      } catch (error) {
        const final = error instanceof DeadLetter || (error instanceof DomainException && !error.retryable);
        if (final) throw error;
        if (attempt > this.bus.maxRetries) {
          throw new DeadLetter(describe(error).code, `Failed after ${attempt} attempts: ${describe(error).message}`);
        }
        this.metrics.busHandled.inc({ topic: logical, outcome: 'retry' });
        this.log.warn({ err: error, attempt, topic: logical }, 'Handler failed; retrying');
        const backoff = this.bus.retryBackoffMs * 2 ** (attempt - 1);
        await new Promise((r) => setTimeout(r, backoff + Math.random() * backoff * 0.2));
      }
    }
  }

  private async reply(headers: DecodedHeaders, envelope: ReplyEnvelope): Promise<void> {
    const replyTo = headers[BusHeader.ReplyTo];
    const correlationId = headers[BusHeader.CorrelationId];
    if (!replyTo || !correlationId || !replyTo.startsWith(this.names.physical('bus.reply-'))) return;
    const ctx = RequestContext.current();
    await this.producer.sendRaw(replyTo, {
      key: correlationId,
      value: JSON.stringify(envelope),
      headers: encodeHeaders({
        [BusHeader.CorrelationId]: correlationId,
        [BusHeader.ReplyInstance]: headers[BusHeader.ReplyInstance],
        [BusHeader.RequestId]: ctx?.requestId,
        [BusHeader.Traceparent]: ctx?.traceparent,
        [BusHeader.TenantId]: ctx?.tenantId,
      }),
    });
  }

  private async deadLetter(
    topic: string,
    partition: number,
    offset: string,
    value: Buffer | null,
    headers: DecodedHeaders,
    code: string,
    reason: string,
  ): Promise<void> {
    const logical = this.names.logical(topic);
    this.log.error({ topic: logical, partition, offset, code, reason }, 'Message dead-lettered');
    await this.producer.sendRaw(this.names.physical(DEAD_LETTER_TOPIC), {
      key: `${logical}:${partition}:${offset}`,
      value,
      headers: encodeHeaders({
        ...headers,
        [BusHeader.OriginalTopic]: logical,
        [BusHeader.OriginalPartition]: String(partition),
        [BusHeader.OriginalOffset]: offset,
        [BusHeader.ConsumerGroup]: this.groupId,
        [BusHeader.DeadLetterCode]: code,
        [BusHeader.DeadLetterReason]: reason.slice(0, 2000),
      }),
    });
    this.metrics.busDeadLetters.inc({ topic: logical });
  }
}
