import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { decodeHeaders, type DecodedHeaders } from '@parley/bus';
import { uniqueSuffix } from './test-infra';

export interface ReadMessage {
  topic: string;
  key: string | null;
  value: string | null;
  headers: DecodedHeaders;
  partition: number;
  offset: string;
}

/** Reads a physical topic from the beginning into memory, to assert what landed on it. */
export class TopicReader {
  readonly messages: ReadMessage[] = [];
  private consumer: Consumer | undefined;

  constructor(
    private readonly brokers: string[],
    private readonly topic: string,
  ) {}

  async start(): Promise<this> {
    const kafka = new Kafka({
      clientId: `test-reader-${uniqueSuffix()}`,
      brokers: this.brokers,
      logLevel: logLevel.NOTHING,
    });
    // The group id starts with the topic's test prefix: pruneTestTopics keeps the topics of a prefix
    // whose group is active, so a run starting elsewhere cannot delete the topic this reader reads.
    const consumer = kafka.consumer({ groupId: `${this.topic}.test-reader-${uniqueSuffix()}`, maxWaitTimeInMs: 50 });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.messages.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
          headers: decodeHeaders(message.headers),
        });
      },
    });
    this.consumer = consumer;
    return this;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
