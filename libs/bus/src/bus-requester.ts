import { randomUUID } from 'node:crypto';
import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import {
  BusHeader,
  DomainException,
  ErrorCode,
  isErrorCode,
  replyEnvelopeSchema,
  replyTopicName,
  type CommandTopic,
  type MessageOf,
  type ReplyOf,
} from '@parley/contracts';
import type { Logger, ServiceMetrics } from '@parley/observability';
import type { BusProducer } from './bus-producer';
import { decodeHeaders } from './headers';
import type { TopicAdmin } from './topic-admin';
import type { TopicNamer } from './topic-namer';

interface PendingRequest {
  topic: string;
  started: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
  replySchema: CommandTopic['replySchema'];
}

/**
 * Request/reply over Kafka. Replies come back on the service's reply topic; every instance reads it
 * in a consumer group of its own and keeps only replies addressed to it (x-reply-instance), so any
 * number of replicas work without partition bookkeeping. A missing reply becomes a
 * `bus_request_timeout` error after the configured timeout.
 */
export class BusRequester {
  private consumer: Consumer | undefined;
  private starting: Promise<void> | undefined;
  private readonly pending = new Map<string, PendingRequest>();
  private readonly replyTopic: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly names: TopicNamer,
    private readonly service: string,
    private readonly instanceId: string,
    private readonly producer: BusProducer,
    private readonly admin: TopicAdmin,
    private readonly defaultTimeoutMs: number,
    private readonly fetchMaxWaitMs: number,
    private readonly metrics: ServiceMetrics,
    private readonly log: Logger,
  ) {
    this.replyTopic = names.physical(replyTopicName(service));
  }

  /** Starts the reply consumer; done lazily on first request, or eagerly at boot. */
  start(): Promise<void> {
    this.starting ??= this.startConsumer().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  private async startConsumer(): Promise<void> {
    await this.admin.ensureTopics([this.replyTopic]);
    const consumer = this.kafka.consumer({
      groupId: this.names.group(`${this.service}.replies.${this.instanceId}`),
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: this.fetchMaxWaitMs,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.replyTopic], fromBeginning: false });
    // Ready once the group is joined and the first fetch has resolved the start offsets, so no reply
    // produced after this point can be skipped.
    const firstFetch = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.FETCH, () => {
        off();
        resolve();
      });
    });
    await consumer.run({ partitionsConsumedConcurrently: 4, eachMessage: (payload) => this.onReply(payload) });
    this.consumer = consumer;
    await firstFetch;
  }

  async request<T extends CommandTopic>(
    command: T,
    message: MessageOf<T>,
    options: { timeoutMs?: number } = {},
  ): Promise<ReplyOf<T>> {
    await this.start();
    const correlationId = randomUUID();
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const started = performance.now();
    const result = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        this.metrics.busRequestDuration.observe({ topic: command.name, outcome: 'timeout' }, timeoutMs / 1000);
        reject(
          new DomainException(
            ErrorCode.BusRequestTimeout,
            `No reply to ${command.name} within ${timeoutMs} ms`,
            { topic: command.name, timeoutMs },
            true,
          ),
        );
      }, timeoutMs);
      this.pending.set(correlationId, {
        topic: command.name,
        started,
        resolve,
        reject,
        timer,
        replySchema: command.replySchema,
      });
    });
    try {
      await this.producer.emit(command, message, {
        headers: {
          [BusHeader.ReplyTo]: this.replyTopic,
          [BusHeader.CorrelationId]: correlationId,
          [BusHeader.ReplyInstance]: this.instanceId,
        },
      });
    } catch (error) {
      const entry = this.pending.get(correlationId);
      if (entry) {
        clearTimeout(entry.timer);
        this.pending.delete(correlationId);
      }
      throw error;
    }
    return result as Promise<ReplyOf<T>>;
  }

  private async onReply({ message }: EachMessagePayload): Promise<void> {
    const headers = decodeHeaders(message.headers);
    if (headers[BusHeader.ReplyInstance] !== this.instanceId) return;
    const correlationId = headers[BusHeader.CorrelationId];
    const entry = correlationId ? this.pending.get(correlationId) : undefined;
    if (!correlationId || !entry) return; // late reply after a timeout
    this.pending.delete(correlationId);
    clearTimeout(entry.timer);
    const seconds = (performance.now() - entry.started) / 1000;
    try {
      const envelope = replyEnvelopeSchema.parse(JSON.parse(message.value?.toString('utf8') ?? 'null'));
      if (envelope.ok) {
        entry.resolve(entry.replySchema.parse(envelope.value));
        this.metrics.busRequestDuration.observe({ topic: entry.topic, outcome: 'ok' }, seconds);
      } else {
        const code = isErrorCode(envelope.error.code) ? envelope.error.code : ErrorCode.Internal;
        entry.reject(new DomainException(code, envelope.error.message, envelope.error.details));
        this.metrics.busRequestDuration.observe({ topic: entry.topic, outcome: 'error' }, seconds);
      }
    } catch (error) {
      this.log.error({ err: error, topic: entry.topic }, 'Malformed reply');
      entry.reject(new DomainException(ErrorCode.Internal, `Malformed reply to ${entry.topic}`));
    }
  }

  async close(): Promise<void> {
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(new DomainException(ErrorCode.ServiceUnavailable, 'Shutting down', undefined, true));
      this.pending.delete(id);
    }
    await this.consumer?.disconnect();
    this.consumer = undefined;
    this.starting = undefined;
  }
}
