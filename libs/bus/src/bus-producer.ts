import { randomUUID } from 'node:crypto';
import { Partitioners, type IHeaders, type Kafka, type Message, type Producer } from 'kafkajs';
import { BusHeader, DomainException, ErrorCode, type MessageOf, type TopicDefinition } from '@parley/contracts';
import {
  ATTR_TENANT_ID,
  childTraceparent,
  failSpan,
  newTraceparent,
  RequestContext,
  SpanKind,
  startSpan,
  type ServiceMetrics,
  type Span,
} from '@parley/observability';
import type { TopicNamer } from './topic-namer';

export interface EmitOptions {
  /** Extra headers (reply routing). The standard ones are always set from the context. */
  headers?: Record<string, string>;
  /** Reuse an id to make a redelivery recognisable (tests, replays). */
  messageId?: string;
}

export interface PreparedMessage {
  messageId: string;
  /** Logical topic name. */
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

interface Pending {
  topic: string;
  message: Message;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 500;

/**
 * The one typed producer: `emit(TopicDef, message)`. Idempotent with acks=all. Messages emitted
 * while a send is in flight are coalesced into the next batch (a self-tuning linger), which keeps
 * ordering per partition with a single in-flight request.
 */
export class BusProducer {
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: TopicNamer,
    private readonly service: string,
    private readonly metrics: ServiceMetrics,
    /** Longest backoff between send retries (KAFKA_RETRY_MAX_MS). */
    private readonly retryMaxMs = 1000,
  ) {}

  async connect(): Promise<void> {
    await this.connected();
  }

  private connected(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        // A send fails after ~3.5 s with the broker gone (a coded 503 for the caller); once it is
        // back, the next retry is at most retryMaxMs away.
        retry: { retries: 6, initialRetryTime: 100, maxRetryTime: this.retryMaxMs },
      });
      await producer.connect();
      this.producer = producer;
      return producer;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Validates the message against its contract and publishes it with context headers. */
  async emit<T extends TopicDefinition>(topic: T, message: MessageOf<T>, options: EmitOptions = {}): Promise<string> {
    const { prepared, span } = this.build(topic, message, options, 'send');
    try {
      await this.sendRaw(this.topics.physical(topic.name), {
        key: prepared.key,
        value: prepared.value,
        headers: prepared.headers,
      });
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
    this.metrics.busPublished.inc({ topic: topic.name });
    return prepared.messageId;
  }

  /**
   * The wire form of a message: validated value, ordering key and the standard headers taken from
   * the current context. Used by `emit` and by the outbox, which stores it to publish later.
   */
  prepare<T extends TopicDefinition>(topic: T, message: MessageOf<T>, options: EmitOptions = {}): PreparedMessage {
    const { prepared, span } = this.build(topic, message, options, 'create');
    span.end();
    return prepared;
  }

  /**
   * Validates and frames a message under a producer span (`send <topic>` for a direct emit, `create
   * <topic>` for an outbox row, which the relay publishes later): the span's context is the
   * message's `traceparent`, so the consumer's span is its child.
   */
  private build<T extends TopicDefinition>(
    topic: T,
    message: MessageOf<T>,
    options: EmitOptions,
    operation: 'send' | 'create',
  ): { prepared: PreparedMessage; span: Span } {
    const parsed = topic.schema.safeParse(message);
    if (!parsed.success) {
      throw new DomainException(ErrorCode.ValidationFailed, `Message for ${topic.name} breaks its contract`, {
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    }
    const messageId = options.messageId ?? randomUUID();
    const ctx = RequestContext.current();
    const tenantId = resolveTenant(topic.name, parsed.data);
    const { span, traceparent } = startSpan(`${operation} ${topic.name}`, {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': operation,
        'messaging.destination.name': topic.name,
        'messaging.message.id': messageId,
        ...(tenantId ? { [ATTR_TENANT_ID]: tenantId } : {}),
      },
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries({
      [BusHeader.MessageId]: messageId,
      [BusHeader.RequestId]: ctx?.requestId ?? randomUUID(),
      [BusHeader.Traceparent]: traceparent ?? (ctx ? childTraceparent(ctx.traceparent) : newTraceparent()),
      [BusHeader.TenantId]: tenantId,
      [BusHeader.UserId]: ctx?.userId,
      [BusHeader.Topic]: topic.name,
      [BusHeader.ProducedAt]: new Date().toISOString(),
      [BusHeader.Producer]: this.service,
      ...options.headers,
    })) {
      if (value !== undefined && value !== '') headers[name] = value;
    }
    const prepared = {
      messageId,
      topic: topic.name,
      key: topic.key(parsed.data),
      value: JSON.stringify(parsed.data),
      headers,
    };
    return { prepared, span };
  }

  /** Publishes bytes as they are (dead letters, replies). `topic` is physical. */
  sendRaw(
    topic: string,
    message: { key?: string | Buffer | null; value: string | Buffer | null; headers?: IHeaders },
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, message, resolve, reject });
      if (!this.flushing) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        const byTopic = new Map<string, Message[]>();
        for (const item of batch) {
          const list = byTopic.get(item.topic) ?? [];
          list.push(item.message);
          byTopic.set(item.topic, list);
        }
        try {
          const producer = await this.connected();
          await producer.sendBatch({
            acks: -1,
            topicMessages: [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages })),
          });
          for (const item of batch) item.resolve();
        } catch (error) {
          const failure = new DomainException(
            ErrorCode.BusUnavailable,
            `Kafka publish failed: ${error instanceof Error ? error.message : String(error)}`,
            undefined,
            true,
          );
          for (const item of batch) item.reject(failure);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  async close(): Promise<void> {
    while (this.queue.length || this.flushing) await new Promise((r) => setTimeout(r, 5));
    await this.producer?.disconnect();
    this.producer = undefined;
  }
}

/**
 * The tenant header of a message: the context's tenant, or the message's own `tenantId`. If both
 * exist and differ, publishing is refused: one tenant's work never emits another tenant's event.
 */
function resolveTenant(topic: string, message: unknown): string | undefined {
  const fromContext = RequestContext.current()?.tenantId;
  const fromMessage =
    typeof message === 'object' && message !== null && typeof (message as { tenantId?: unknown }).tenantId === 'string'
      ? (message as { tenantId: string }).tenantId
      : undefined;
  if (fromContext && fromMessage && fromContext !== fromMessage) {
    throw new DomainException(
      ErrorCode.TenantContextMissing,
      `Refusing to publish ${topic} for another tenant than the context's`,
    );
  }
  return fromMessage ?? fromContext;
}
