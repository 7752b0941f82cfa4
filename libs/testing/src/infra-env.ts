import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface InfraEnv {
  DATABASE_URL: string;
  REDIS_URL: string;
  KAFKA_BROKERS: string;
}

export const REPO_ROOT = resolve(__dirname, '../../..');

/**
 * Makes sure the real Postgres, Redis and Kafka are running (scripts/infra.sh up, idempotent) and
 * returns their addresses. Servers given in the environment are used as they are.
 */
export function ensureInfra(env: Record<string, string | undefined> = process.env): InfraEnv {
  if (env.DATABASE_URL && env.REDIS_URL && env.KAFKA_BROKERS) {
    return { DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL, KAFKA_BROKERS: env.KAFKA_BROKERS };
  }
  execFileSync('bash', [resolve(REPO_ROOT, 'scripts/infra.sh'), 'up'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    // Tests and benchmarks run Postgres fast (fsync off); `npm start` runs it durable.
    env: { INFRA_PG_DURABILITY: 'fast', ...process.env },
  });
  const file = resolve(REPO_ROOT, '.cache/infra/env');
  if (!existsSync(file)) throw new Error(`scripts/infra.sh up did not write ${file}`);
  const values = Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  ) as Record<string, string>;
  return {
    DATABASE_URL: env.DATABASE_URL ?? required(values, 'DATABASE_URL'),
    REDIS_URL: env.REDIS_URL ?? required(values, 'REDIS_URL'),
    KAFKA_BROKERS: env.KAFKA_BROKERS ?? required(values, 'KAFKA_BROKERS'),
  };
}

function required(values: Record<string, string>, key: string): string {
  const value = values[key];
  if (!value) throw new Error(`${key} missing from .cache/infra/env`);
  return value;
}
