import type { Admin, Kafka } from 'kafkajs';

/**
 * Creates topics at start with explicit partitions and replication from configuration (broker-side
 * auto-creation is off), and answers the Kafka readiness check.
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
    for (const name of missing) this.known.add(name);
  }

  async check(): Promise<void> {
    const admin = await this.connected();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('no Kafka brokers in metadata');
  }

  async close(): Promise<void> {
    await this.admin?.disconnect();
    this.admin = undefined;
  }
}
