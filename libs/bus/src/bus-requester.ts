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

/** A failure to reach Kafka, as the caller sees it: 503, retryable, the cause kept in the message. */
function kafkaUnavailable(topic: string, error: unknown): DomainException {
  if (error instanceof DomainException && error.code !== ErrorCode.BusUnavailable) return error;
  const cause = error instanceof Error ? error.message : String(error);
  return new DomainException(
    ErrorCode.ServiceUnavailable,
    `Kafka is unavailable; ${topic} was not sent: ${cause}`,
    { dependency: 'kafka', topic },
    true,
  );
}

/** Session of the reply consumer: bounds how long replies stall after a broker restart. */
const REPLY_SESSION_TIMEOUT_MS = 6000;

interface PendingRequest {
  topic: string;
  started: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  replySchema: CommandTopic['replySchema'];
}

/**
 * Request/reply over Kafka. Replies come back on the service's reply topic; every instance reads it
 * in a consumer group of its own and keeps only replies addressed to it (x-reply-instance), so any
 * number of replicas work without partition bookkeeping. A missing reply becomes a
 * `bus_request_timeout` error after the configured timeout; an unreachable broker a
 * `service_unavailable` one. A request never leaves a promise to reject unobserved.
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
      // A broker that restarts keeps the old member until its session expires, and replies wait
      // for the rejoin: keep it short (the broker's minimum is 6 s). Its handler is a map lookup.
      sessionTimeout: REPLY_SESSION_TIMEOUT_MS,
      heartbeatInterval: 1000,
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

  /**
   * Sends a command and waits for its reply, never longer than the timeout: starting the reply
   * consumer, publishing and waiting all count against it. Every outcome settles the one promise
   * the caller awaits (nothing is left to reject unobserved): the reply, `bus_request_timeout`
   * (504), or `service_unavailable` (503, retryable) when Kafka cannot be reached. The command
   * carries its deadline (`x-deadline`), so a handler that only gets it later drops it.
   */
  async request<T extends CommandTopic>(
    command: T,
    message: MessageOf<T>,
    options: { timeoutMs?: number } = {},
  ): Promise<ReplyOf<T>> {
    const correlationId = randomUUID();
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
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
    });
    try {
      // race() observes both promises: whichever loses may still reject later without harm.
      return (await Promise.race([
        this.send(command, message, correlationId, Date.now() + timeoutMs, started),
        timeout,
      ])) as ReplyOf<T>;
    } finally {
      clearTimeout(timer);
      this.pending.delete(correlationId);
    }
  }

  private async send(
    command: CommandTopic,
    message: MessageOf<CommandTopic>,
    correlationId: string,
    deadline: number,
    started: number,
  ): Promise<unknown> {
    try {
      await this.start();
    } catch (error) {
      throw kafkaUnavailable(command.name, error);
    }
    const reply = new Promise<unknown>((resolve, reject) => {
      this.pending.set(correlationId, {
        topic: command.name,
        started,
        resolve,
        reject,
        replySchema: command.replySchema,
      });
    });
    try {
      await this.producer.emit(command, message, {
        headers: {
          [BusHeader.ReplyTo]: this.replyTopic,
          [BusHeader.CorrelationId]: correlationId,
          [BusHeader.ReplyInstance]: this.instanceId,
          [BusHeader.Deadline]: String(deadline),
        },
      });
    } catch (error) {
      this.pending.delete(correlationId);
      throw kafkaUnavailable(command.name, error);
    }
    return reply;
  }

  private async onReply({ message }: EachMessagePayload): Promise<void> {
    const headers = decodeHeaders(message.headers);
    if (headers[BusHeader.ReplyInstance] !== this.instanceId) return;
    const correlationId = headers[BusHeader.CorrelationId];
    const entry = correlationId ? this.pending.get(correlationId) : undefined;
    if (!correlationId || !entry) return; // late reply after a timeout
    this.pending.delete(correlationId);
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
      entry.reject(new DomainException(ErrorCode.ServiceUnavailable, 'Shutting down', undefined, true));
      this.pending.delete(id);
    }
    await this.consumer?.disconnect();
    this.consumer = undefined;
    this.starting = undefined;
  }
}
