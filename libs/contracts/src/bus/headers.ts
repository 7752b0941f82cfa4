/** Kafka header names. Every message carries the first four; the rest depend on its kind. */
export const BusHeader = {
  MessageId: 'x-message-id',
  RequestId: 'x-request-id',
  Traceparent: 'traceparent',
  TenantId: 'x-tenant-id',
  UserId: 'x-user-id',
  Topic: 'x-topic',
  ProducedAt: 'x-produced-at',
  Producer: 'x-producer',
  CorrelationId: 'x-correlation-id',
  ReplyTo: 'x-reply-to',
  ReplyInstance: 'x-reply-instance',
  /** Epoch milliseconds after which nobody waits for the command's outcome: it is dropped, not handled. */
  Deadline: 'x-deadline',
  OriginalTopic: 'x-original-topic',
  OriginalPartition: 'x-original-partition',
  OriginalOffset: 'x-original-offset',
  ConsumerGroup: 'x-consumer-group',
  DeadLetterReason: 'x-dead-letter-reason',
  DeadLetterCode: 'x-dead-letter-code',
  Attempts: 'x-attempts',
} as const;

export type BusHeaderName = (typeof BusHeader)[keyof typeof BusHeader];
