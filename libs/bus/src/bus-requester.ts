import { randomUUID } from 'node:crypto';
import type { Consumer, EachMessagePayload, Kafka, RetryOptions } from 'kafkajs';
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
  /** Set once something asked for the reply consumer; readiness then requires it. */
  private wanted = false;
  private closed = false;
  private generation = 0;
  /** Readiness probes sent to this instance's own reply topic, by correlation id. */
  private readonly probes = new Map<string, () => void>();
  private readonly replyTopic: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly names: TopicNamer,
    private readonly service: string,
    private readonly instanceId: string,
    private readonly producer: BusProducer,
    private readonly admin: TopicAdmin,
    private readonly defaultTimeoutMs: number,
    private readonly replyFetchMaxWaitMs: number,
    private readonly retry: RetryOptions,
    private readonly metrics: ServiceMetrics,
    private readonly log: Logger,
  ) {
    this.replyTopic = names.physical(replyTopicName(service));
  }

  /** Starts the reply consumer; done lazily on first request, or eagerly at boot. */
  start(): Promise<void> {
    this.wanted = true;
    this.starting ??= this.startConsumer().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  /**
   * The reply consumer reads in a group of its own. After a crash (the broker was gone longer than
   * its retries) it starts again in a NEW group (`…replies.<instance>.<generation>`): a restart in
   * the same group would be a new member that waits, after the broker is back, for the dead
   * member's session to expire (6 s), and every request/reply of this instance with it. Its offsets
   * are worthless anyway (it reads from the end). Requests meanwhile wait for the restart.
   */
  private async startConsumer(): Promise<void> {
    await this.admin.ensureTopics([this.replyTopic]);
    const groupId = this.names.group(`${this.service}.replies.${this.instanceId}.${this.generation++}`);
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: this.replyFetchMaxWaitMs,
      // A broker that restarts keeps the old member until its session expires, and replies wait
      // for the rejoin: keep it short (the broker's minimum is 6 s). Its handler is a map lookup.
      sessionTimeout: REPLY_SESSION_TIMEOUT_MS,
      heartbeatInterval: 1000,
      // A crash is handled here (a fresh group), not by kafkajs' restart in the same group.
      retry: { ...this.retry, restartOnFailure: () => Promise.resolve(false) },
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.consumer !== consumer || this.closed) return;
      this.log.warn({ err: payload.error }, 'Reply consumer crashed; starting one in a fresh group');
      this.consumer = undefined;
      this.starting = undefined;
      void consumer.disconnect().catch(() => undefined);
      void this.restart().then(() => this.dropGroupLater(groupId));
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.replyTopic], fromBeginning: false });
      // Reading starts at the end of each partition as it is now, set when the group is joined and
      // before the first fetch: every reply produced after this point is read, and the requester is
      // ready once joined, without waiting for a first fetch that, with nothing to read, returns
      // only after BUS_REPLY_FETCH_MAX_WAIT_MS. Only the first join: a rejoin keeps its position.
      const ends = await this.admin.endOffsets(this.replyTopic);
      const joined = new Promise<void>((resolve) => {
        const off = consumer.on(consumer.events.GROUP_JOIN, () => {
          off();
          for (const { partition, offset } of ends) consumer.seek({ topic: this.replyTopic, partition, offset });
          resolve();
        });
      });
      this.consumer = consumer;
      await consumer.run({ partitionsConsumedConcurrently: 4, eachMessage: (payload) => this.onReply(payload) });
      await joined;
    } catch (error) {
      if (this.consumer === consumer) this.consumer = undefined;
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** The abandoned group is deleted once its dead member's session is over (best effort). */
  private dropGroupLater(groupId: string): void {
    setTimeout(() => {
      this.admin.deleteGroups([groupId]).catch((error: unknown) => {
        this.log.debug({ err: error, groupId }, 'Abandoned reply group not deleted');
      });
    }, REPLY_SESSION_TIMEOUT_MS * 2).unref();
  }

  /** After a crash: start again, backing off from 100 ms to KAFKA_RETRY_MAX_MS, until it works or closes. */
  private async restart(): Promise<void> {
    for (let attempt = 0; !this.closed && this.consumer === undefined; attempt++) {
      try {
        await this.start();
        return;
      } catch (error) {
        const delay = Math.min(100 * 2 ** attempt, this.retry.maxRetryTime ?? 1000);
        this.log.warn({ err: error, retryInMs: delay }, 'Reply consumer not restarted yet; retrying');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
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

  /**
   * The readiness proof that this instance can use Kafka: a real produce (acks=all) to its reply
   * topic and, once the reply consumer runs, that message consumed back by it, so the whole
   * request/reply path of this instance is exercised. A service that never asked anything only
   * proves the produce. Rejects with what failed; a produce not consumed back within
   * `consumeTimeoutMs` fails too (the probe never stays pending).
   */
  async probe(consumeTimeoutMs = 3000): Promise<void> {
    const generation = this.generation;
    try {
      await this.probeOnce(consumeTimeoutMs);
    } catch (error) {
      // The reply consumer was replaced while the probe was under way (a crash in an outage): the
      // new one reads from the end and may never see the probe. Ask the new one, once.
      if (this.generation === generation) throw error;
      await this.probeOnce(consumeTimeoutMs);
    }
  }

  private async probeOnce(consumeTimeoutMs: number): Promise<void> {
    if (this.wanted) {
      // The reply consumer runs and has fetched (after a crash: its restart).
      await this.start().catch((error: unknown) => {
        throw new Error(`reply consumer not running: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    await this.admin.ensureTopics([this.replyTopic]);
    const correlationId = `probe-${randomUUID()}`;
    const roundTrip = this.wanted;
    const consumed = roundTrip
      ? new Promise<void>((resolve) => this.probes.set(correlationId, resolve))
      : Promise.resolve();
    try {
      await this.producer.sendRaw(this.replyTopic, {
        key: correlationId,
        value: JSON.stringify({ ok: true, value: null }),
        headers: { [BusHeader.CorrelationId]: correlationId, [BusHeader.ReplyInstance]: this.instanceId },
      });
    } catch (error) {
      this.probes.delete(correlationId);
      throw new Error(`cannot produce: ${error instanceof Error ? error.message : String(error)}`);
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        consumed,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`produced, but not consumed back within ${consumeTimeoutMs} ms`)),
            consumeTimeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
      this.probes.delete(correlationId);
    }
  }

  private async onReply({ message }: EachMessagePayload): Promise<void> {
    const headers = decodeHeaders(message.headers);
    if (headers[BusHeader.ReplyInstance] !== this.instanceId) return;
    const correlationId = headers[BusHeader.CorrelationId];
    const probe = correlationId ? this.probes.get(correlationId) : undefined;
    if (probe) return probe();
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
    this.closed = true;
    for (const [id, entry] of this.pending) {
      entry.reject(new DomainException(ErrorCode.ServiceUnavailable, 'Shutting down', undefined, true));
      this.pending.delete(id);
    }
    await this.consumer?.disconnect();
    this.consumer = undefined;
    this.starting = undefined;
  }
}
