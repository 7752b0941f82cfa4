import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, ServiceMetrics } from '@parley/observability';
import { infra, uniqueSuffix } from '@parley/testing';
import { ConsumerLag } from './consumer-lag';
import { TopicAdmin } from './topic-admin';
import { TopicNamer } from './topic-namer';

/**
 * `kafka_consumer_lag` on the real Kafka: a group behind by what it has not committed, at zero once
 * it commits the end, measured on scrape at most once per interval, per group and logical topic.
 */
describe('kafka_consumer_lag', () => {
  const prefix = `lag${uniqueSuffix()}.`;
  const names = new TopicNamer(prefix);
  const topic = 'test.lagging.v1';
  const groupId = `${prefix}group`;
  const kafka = new Kafka({
    clientId: 'lag-spec',
    brokers: infra().KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = new TopicAdmin(kafka, 2, 1);
  const raw = kafka.admin();
  const producer = kafka.producer();

  const scrape = async (metrics: ServiceMetrics) => {
    const text = await metrics.registry.metrics();
    const line = text.split('\n').find((l) => l.startsWith('kafka_consumer_lag{') && l.includes(`topic="${topic}"`));
    return line === undefined ? undefined : { line, value: Number(line.split(' ').at(-1)) };
  };

  beforeAll(async () => {
    await admin.ensureTopics([names.physical(topic)]);
    await Promise.all([raw.connect(), producer.connect()]);
    await producer.send({
      topic: names.physical(topic),
      messages: Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: `m${i}` })),
    });
  });

  afterAll(async () => {
    await Promise.all([raw.disconnect(), producer.disconnect(), admin.close()]);
  });

  it('counts every message of a group that committed nothing, then zero once it commits the end', async () => {
    const metrics = new ServiceMetrics('analytics');
    new ConsumerLag(admin, names, groupId, [topic], 1, createLogger('analytics', 'silent')).register(metrics);
    const before = await scrape(metrics);
    expect(before?.value).toBe(5);
    expect(before?.line).toContain(`group="${groupId}"`);
    expect(before?.line).toContain('service="analytics"');

    const ends = await raw.fetchTopicOffsets(names.physical(topic));
    await raw.setOffsets({
      groupId,
      topic: names.physical(topic),
      partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })),
    });
    await new Promise((r) => setTimeout(r, 5)); // past the 1 ms interval
    expect((await scrape(metrics))?.value).toBe(0);
  });

  it('measures at most once per interval: scrapes in between get the last figure', async () => {
    const metrics = new ServiceMetrics('analytics');
    const lag = new ConsumerLag(admin, names, `${groupId}-b`, [topic], 600_000, createLogger('analytics', 'silent'));
    lag.register(metrics);
    expect((await scrape(metrics))?.value).toBe(5);
    await producer.send({ topic: names.physical(topic), messages: [{ key: 'k', value: 'late' }] });
    expect((await scrape(metrics))?.value).toBe(5);
  });

  it('reports no series, not a stale one, when Kafka cannot answer for the group', async () => {
    const metrics = new ServiceMetrics('analytics');
    const closed = new TopicAdmin(
      new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING, retry: { retries: 0 } }),
      1,
      1,
    );
    new ConsumerLag(closed, names, groupId, [topic], 1, createLogger('analytics', 'silent')).register(metrics);
    expect(await scrape(metrics)).toBeUndefined();
  });
});
