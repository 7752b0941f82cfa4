import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { decodeHeaders } from '@parley/bus';
import { BusHeader } from '@parley/contracts';
import { summarize, type PlatformProcesses } from '@parley/testing';
import { countBy, sleep, type Answer } from './client';

/**
 * The client's log of sign-ups against Postgres: every 201 has its tenant and owner (nothing
 * acknowledged lost), no tenant is left without an owner (orphans), and no effect was applied twice
 * (a tenant with two memberships, a user in two tenants: each sign-up makes exactly one of each).
 */
export async function reconcileSignUps(
  platform: PlatformProcesses,
  answers: Answer[],
): Promise<Record<string, unknown>> {
  const db = new Client({ connectionString: platform.db.url });
  await db.connect();
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query<{ n: string }>(sql, params)).rows[0]?.n ?? 0);
  try {
    const acknowledged = answers.filter((a) => a.status === 201 && a.tenantId).map((a) => a.tenantId as string);
    const stored = await count(
      `SELECT count(*) AS n FROM control.tenants t JOIN auth.memberships m ON m.tenant_id = t.id WHERE t.id = ANY($1)`,
      [acknowledged],
    );
    return {
      signUps: answers.length,
      answers: countBy(answers.map((a) => `${a.status} ${a.code}`)),
      notCoded: answers.filter((a) => ![201, 503, 504].includes(a.status)).length,
      acknowledged: acknowledged.length,
      acknowledgedLost: acknowledged.length - stored,
      orphanTenants: await count(
        `SELECT count(*) AS n FROM control.tenants t
         WHERE NOT EXISTS (SELECT 1 FROM auth.memberships m WHERE m.tenant_id = t.id)`,
      ),
      doubleApplied: {
        tenantsWithSeveralMembers: await count(
          `SELECT count(*) AS n FROM (SELECT tenant_id FROM auth.memberships GROUP BY tenant_id HAVING count(*) > 1) x`,
        ),
        usersInSeveralTenants: await count(
          `SELECT count(*) AS n FROM (SELECT user_id FROM auth.memberships GROUP BY user_id HAVING count(*) > 1) x`,
        ),
        signupsWithSeveralTenants: await count(
          `SELECT count(*) AS n FROM (SELECT signup_id FROM control.tenant_signups
           WHERE tenant_id IS NOT NULL GROUP BY signup_id HAVING count(DISTINCT tenant_id) > 1) x`,
        ),
      },
      latencyOk: summarize(
        answers.filter((a) => a.status === 201).map((a) => a.ms),
        Math.max(1, (answers.at(-1)?.at ?? 0) - (answers[0]?.at ?? 0)),
      ),
    };
  } finally {
    await db.end();
  }
}

/**
 * A full re-read of every topic of the run (its prefix) from the beginning: messages per topic and
 * duplicates per dedupe key (`x-message-id`: a message published twice, e.g. by an outbox relay
 * that died between publishing and marking). Replies and readiness probes carry no message id and
 * are counted, not checked.
 */
export async function rereadTopics(brokers: string, prefix: string): Promise<Record<string, unknown>> {
  const kafka = new Kafka({ clientId: 'faults-reread', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  let expected = 0;
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) expected += Number(p.high) - Number(p.low);
  }
  await admin.disconnect();
  const ids = new Map<string, number>();
  const perTopic: Record<string, number> = {};
  let read = 0;
  let withoutId = 0;
  const consumer = kafka.consumer({ groupId: `faults-reread-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      read++;
      const logical = topic.slice(prefix.length);
      perTopic[logical] = (perTopic[logical] ?? 0) + 1;
      const id = decodeHeaders(message.headers)[BusHeader.MessageId];
      if (!id) {
        withoutId++;
        return;
      }
      const key = `${logical} ${id}`;
      ids.set(key, (ids.get(key) ?? 0) + 1);
    },
  });
  const deadline = Date.now() + 120_000;
  while (read < expected && Date.now() < deadline) await sleep(200);
  await consumer.disconnect();
  const duplicates = [...ids.entries()].filter(([, n]) => n > 1);
  return {
    topics: topics.length,
    expected,
    read,
    withoutMessageId: withoutId,
    perTopic,
    duplicateMessages: duplicates.reduce((sum, [, n]) => sum + n - 1, 0),
    duplicatedKeys: duplicates.slice(0, 20).map(([key, n]) => `${key} ×${n}`),
  };
}
