import { Inject, Injectable } from '@nestjs/common';
import type { MessageOf, TopicDefinition } from '@parley/contracts';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { BusProducer } from '../bus-producer';
import { OUTBOX_CHANNEL } from './outbox-wakeup';

export interface OutboxTransaction {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Adds a message to the outbox inside the caller's transaction (a TypeORM QueryRunner or
 * EntityManager). It is validated and given its headers now, from the current context; the relay
 * publishes it after the commit. The same statement notifies OUTBOX_CHANNEL, which Postgres delivers
 * at commit only, so every replica's relay learns of the rows, should this one die before publishing them.
 * Returns the message id.
 */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly producer: BusProducer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async add<T extends TopicDefinition>(tx: OutboxTransaction, topic: T, message: MessageOf<T>): Promise<string> {
    const prepared = this.producer.prepare(topic, message);
    await tx.query(
      `WITH added AS (
         INSERT INTO control.outbox (id, producer, topic, key, value, headers)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb) RETURNING id)
       SELECT pg_notify('${OUTBOX_CHANNEL}', $7) FROM added`,
      [
        prepared.messageId,
        this.config.service,
        prepared.topic,
        prepared.key,
        prepared.value,
        JSON.stringify(prepared.headers),
        this.config.service,
      ],
    );
    return prepared.messageId;
  }
}
