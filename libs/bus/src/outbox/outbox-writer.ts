import { Inject, Injectable } from '@nestjs/common';
import type { MessageOf, TopicDefinition } from '@parley/contracts';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { BusProducer } from '../bus-producer';
import { OUTBOX_CHANNEL } from './outbox-wakeup';

export interface OutboxTransaction {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** One message for `OutboxWriter.addAll`, checked against its topic's contract when built. */
export interface OutboxEntry {
  readonly topic: TopicDefinition;
  readonly message: unknown;
}

export function outboxEntry<T extends TopicDefinition>(topic: T, message: MessageOf<T>): OutboxEntry {
  return { topic, message };
}

const COLUMNS_PER_ROW = 6;

/**
 * Adds messages to the outbox inside the caller's transaction (a TypeORM QueryRunner or
 * EntityManager). Each is validated and given its headers now, from the current context; the relay
 * publishes them after the commit. The same statement notifies OUTBOX_CHANNEL, which Postgres
 * delivers at commit only, so every replica's relay learns of the rows, should this one die before
 * publishing them. Several messages of one transaction go in one statement (one round trip).
 */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly producer: BusProducer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns the message id. */
  async add<T extends TopicDefinition>(tx: OutboxTransaction, topic: T, message: MessageOf<T>): Promise<string> {
    const [id] = await this.addAll(tx, [outboxEntry(topic, message)]);
    return id as string;
  }

  /** Returns the message ids, in order. */
  async addAll(tx: OutboxTransaction, entries: readonly OutboxEntry[]): Promise<string[]> {
    if (entries.length === 0) return [];
    // Each entry's message was checked against its own topic's type by outboxEntry.
    const prepared = entries.map((entry) => this.producer.prepare(entry.topic, entry.message as never));
    const parameters: unknown[] = [];
    const rows = prepared.map((message, i) => {
      parameters.push(
        message.messageId,
        this.config.service,
        message.topic,
        message.key,
        message.value,
        JSON.stringify(message.headers),
      );
      const at = i * COLUMNS_PER_ROW;
      return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}::jsonb, $${at + 6}::jsonb)`;
    });
    parameters.push(this.config.service);
    await tx.query(
      `WITH added AS (
         INSERT INTO control.outbox (id, producer, topic, key, value, headers)
         VALUES ${rows.join(', ')} RETURNING id)
       SELECT pg_notify('${OUTBOX_CHANNEL}', $${parameters.length}) FROM (SELECT 1 FROM added LIMIT 1) AS one`,
      parameters,
    );
    return prepared.map((message) => message.messageId);
  }
}
