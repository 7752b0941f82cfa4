import type { Admin, Kafka } from 'kafkajs';

const TOPIC_RETRIES = 8;
const TRANSIENT = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_CONTROLLER',
]);

function isTransientMetadataError(error: unknown): boolean {
  const e = error as { type?: unknown; cause?: { type?: unknown } } | null;
  const type = e?.type ?? e?.cause?.type;
  return typeof type === 'string' && TRANSIENT.has(type);
}

/**
 * Creates topics at start with explicit partitions and replication from configuration (broker-side
 * auto-creation is off).
 */
export class TopicAdmin {
  private admin: Admin | undefined;
  private readonly known = new Set<string>();

  constructor(
    private readonly kafka: Kafka,
    private readonly partitions: number,
    private readonly replicationFactor: number,
  ) {}

  private async connected(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin({ retry: { retries: 2, initialRetryTime: 100 } });
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  async ensureTopics(names: readonly string[]): Promise<void> {
    const missing = [...new Set(names)].filter((name) => !this.known.has(name));
    if (missing.length === 0) return;
    const admin = await this.connected();
    // Under load (many services creating topics at once) the broker can answer a metadata request
    // before a just-created topic has a leader; kafkajs then throws. Retry a bounded number of times.
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = new Set(await admin.listTopics());
        const toCreate = missing.filter((name) => !existing.has(name));
        if (toCreate.length) {
          await admin.createTopics({
            waitForLeaders: true,
            topics: toCreate.map((topic) => ({
              topic,
              numPartitions: this.partitions,
              replicationFactor: this.replicationFactor,
            })),
          });
        }
        await admin.fetchTopicMetadata({ topics: missing });
        break;
      } catch (error) {
        if (attempt >= TOPIC_RETRIES || !isTransientMetadataError(error)) throw error;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
    for (const name of missing) this.known.add(name);
  }

  /**
   * Messages the group has yet to consume, per topic: the sum over partitions of the end offset
   * minus the group's committed offset (the start offset where it committed nothing yet).
   */
  async consumerLag(groupId: string, topics: readonly string[]): Promise<Map<string, number>> {
    const admin = await this.connected();
    const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
    const lag = new Map<string, number>();
    for (const { topic, partitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic);
      const done = new Map(partitions.map((p) => [p.partition, Number(p.offset)]));
      let behind = 0;
      for (const end of ends) {
        const at = done.get(end.partition) ?? -1;
        behind += Math.max(0, Number(end.high) - (at >= 0 ? at : Number(end.low)));
      }
      lag.set(topic, behind);
    }
    return lag;
  }

  /** The end (next) offset of each partition of a topic. */
  async endOffsets(topic: string): Promise<{ partition: number; offset: string }[]> {
    const admin = await this.connected();
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.map(({ partition, high }) => ({ partition, offset: high }));
  }

  /** Deletes consumer groups that are empty (best effort: a group with members is refused by the broker). */
  async deleteGroups(groupIds: readonly string[]): Promise<void> {
    const admin = await this.connected();
    await admin.deleteGroups([...groupIds]);
  }

  async close(): Promise<void> {
    await this.admin?.disconnect();
    this.admin = undefined;
  }
}
