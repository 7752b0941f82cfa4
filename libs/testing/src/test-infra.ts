import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig, type AppConfig, type ServiceName } from '@parley/config';
import type { InfraEnv } from './infra-env';

/**
 * The servers the integration project's global setup made sure of (it exports them as
 * PARLEY_TEST_INFRA to every worker). Outside vitest, call ensureInfra() instead.
 */
export function infra(): InfraEnv {
  const raw = process.env.PARLEY_TEST_INFRA;
  if (!raw) throw new Error('PARLEY_TEST_INFRA is not set: run under the integration project, or use ensureInfra()');
  return JSON.parse(raw) as InfraEnv;
}

export function uniqueSuffix(): string {
  return randomBytes(5).toString('hex');
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on the shared server, so test files never see each other's rows. */
export async function createTestDatabase(adminUrl = infra().DATABASE_URL): Promise<TestDatabase> {
  const name = `parley_t_${uniqueSuffix()}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The environment a service gets in tests: real servers, a topic prefix private to the test. */
export function testEnv(
  options: {
    databaseUrl?: string;
    topicPrefix: string;
    extra?: Record<string, string>;
  },
  env: InfraEnv = infra(),
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    REDIS_URL: env.REDIS_URL,
    KAFKA_BROKERS: env.KAFKA_BROKERS,
    KAFKA_TOPIC_PREFIX: options.topicPrefix,
    KAFKA_TOPIC_PARTITIONS: '3',
    BUS_RETRY_BACKOFF_MS: '20',
    // Short idle fetches keep each test's shutdown short (a consumer stops after its fetch in flight).
    BUS_FETCH_MAX_WAIT_MS: '50',
    BUS_REPLY_FETCH_MAX_WAIT_MS: '50',
    // Readiness turns red as fast as before the services' long idle fetches (their default is 10 s).
    BUS_CONSUMER_STALE_MS: '5000',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.extra,
  };
}

export function testConfig(service: ServiceName, options: Parameters<typeof testEnv>[0]): AppConfig {
  return loadConfig(service, testEnv(options));
}
