import { Kafka, logLevel } from 'kafkajs';
import { ALL_TOPICS, DEAD_LETTER_TOPIC } from '@parley/contracts';

/** Logical topic names a physical one can end with (prefix + name). */
const KNOWN = [...ALL_TOPICS.map((t) => t.name), DEAD_LETTER_TOPIC];
const REPLY = /bus\.reply-[a-z-]+\.v1$/;

/** The test prefix of a physical topic (`gw3f2a….tenant.created.v1` → `gw3f2a….`), or '' when unprefixed. */
export function topicPrefixOf(topic: string): string {
  const reply = REPLY.exec(topic);
  if (reply) return topic.slice(0, reply.index);
  const name = KNOWN.find((known) => topic.endsWith(known));
  return name ? topic.slice(0, topic.length - name.length) : '';
}

/**
 * Deletes the topics earlier test runs left behind (every test uses its own topic prefix, and a
 * broker with tens of thousands of partitions runs out of heap). Unprefixed topics (`npm start`)
 * and the topics of prefixes that a consumer group still uses (a run in progress) are kept.
 * Best effort and bounded: a failure is reported, never fatal.
 */
export async function pruneTestTopics(brokers: string, deadlineMs = 60_000): Promise<number> {
  const kafka = new Kafka({ clientId: 'parley-test-prune', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const deadline = Date.now() + deadlineMs;
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__') && topicPrefixOf(t) !== '');
    if (topics.length === 0) return 0;
    const { groups } = await admin.listGroups();
    const described = groups.length ? await admin.describeGroups(groups.map((g) => g.groupId)) : { groups: [] };
    const active = described.groups.filter((g) => g.members.length > 0).map((g) => g.groupId);
    const stale = topics.filter((topic) => {
      const prefix = topicPrefixOf(topic);
      return !active.some((group) => group.startsWith(prefix));
    });
    let deleted = 0;
    for (let i = 0; i < stale.length && Date.now() < deadline; i += 200) {
      const batch = stale.slice(i, i + 200);
      await admin.deleteTopics({ topics: batch, timeout: Math.max(1000, Math.min(30_000, deadline - Date.now())) });
      deleted += batch.length;
    }
    return deleted;
  } finally {
    await admin.disconnect();
  }
}
