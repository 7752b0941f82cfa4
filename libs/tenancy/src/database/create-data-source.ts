import { DataSource, type EntitySchema } from 'typeorm';
import type { DatabaseConfig } from '@parley/config';

type EntityTarget = string | (new () => unknown) | EntitySchema;

/**
 * The one pool of a service. Control-plane entities name their schema; tenant entities do not and
 * resolve through `SET LOCAL search_path` inside TenantDb transactions.
 */
export function createDataSource(
  config: DatabaseConfig,
  applicationName: string,
  entities: EntityTarget[] = [],
): DataSource {
  return new DataSource({
    type: 'postgres',
    url: config.url,
    ssl: config.ssl ? { rejectUnauthorized: true } : false,
    entities,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName,
    extra: {
      max: config.poolMax,
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30_000,
      // A query that runs longer than this is a bug or an attack; fail it rather than hold the pool.
      statement_timeout: 30_000,
      query_timeout: 35_000,
    },
  });
}
