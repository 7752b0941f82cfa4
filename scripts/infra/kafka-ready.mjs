#!/usr/bin/env node
// Readiness probe for a Kafka broker, used by scripts/infra.sh.
//
//   node scripts/infra/kafka-ready.mjs <host:port[,host:port...]> [--timeout <ms>]
//
// Connects an admin client and asks for cluster metadata (describeCluster),
// retrying until it succeeds or the deadline passes (default 90000 ms).
// Exit 0: the broker answered (prints "clusterId=... brokers=N controller=ID").
// Exit 1: deadline passed (prints the last error to stderr).
// Exit 2: bad usage / kafkajs not installed.
const args = process.argv.slice(2);
let brokersArg;
let timeoutMs = 90_000;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--timeout') timeoutMs = Number(args[++i]);
  else if (!brokersArg) brokersArg = args[i];
  else {
    console.error(`kafka-ready: unexpected argument ${args[i]}`);
    process.exit(2);
  }
}
if (!brokersArg || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
  console.error('usage: node scripts/infra/kafka-ready.mjs <host:port[,host:port...]> [--timeout <ms>]');
  process.exit(2);
}
const brokers = brokersArg
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);

let kafkajs;
try {
  kafkajs = await import('kafkajs');
} catch {
  console.error('kafka-ready: the kafkajs package is not installed; run `npm ci` in the repo root');
  process.exit(2);
}
const { Kafka, logLevel } = kafkajs.default ?? kafkajs;

const deadline = Date.now() + timeoutMs;
// Hard stop: whatever happens inside kafkajs, never outlive the deadline.
setTimeout(() => {
  console.error(`kafka-ready: ${brokers.join(',')} not ready after ${timeoutMs} ms: ${lastError}`);
  process.exit(1);
}, timeoutMs + 500);

let lastError = 'no attempt finished';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

while (Date.now() < deadline) {
  const left = deadline - Date.now();
  const kafka = new Kafka({
    clientId: 'parley-infra-ready',
    brokers,
    connectionTimeout: Math.max(200, Math.min(2000, left)),
    requestTimeout: Math.max(500, Math.min(5000, left)),
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    const attempt = (async () => {
      await admin.connect();
      return admin.describeCluster();
    })();
    const cluster = await Promise.race([
      attempt,
      sleep(Math.min(6000, left)).then(() => {
        throw new Error('attempt timed out');
      }),
    ]);
    if (!cluster.brokers?.length) throw new Error('metadata lists no brokers yet');
    console.log(`clusterId=${cluster.clusterId} brokers=${cluster.brokers.length} controller=${cluster.controller}`);
    await Promise.race([admin.disconnect().catch(() => {}), sleep(1000)]);
    process.exit(0);
  } catch (err) {
    lastError = err?.message ?? String(err);
    await Promise.race([admin.disconnect().catch(() => {}), sleep(500)]);
  }
  await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
}
console.error(`kafka-ready: ${brokers.join(',')} not ready after ${timeoutMs} ms: ${lastError}`);
process.exit(1);
