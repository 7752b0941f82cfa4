import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { createLogger } from '@parley/observability';
import { TENANT_STATUSES_SEEDED_KEY } from '@parley/tenancy';
import { testConfig, uniqueSuffix } from '@parley/testing';
import { createGatewayApp } from '../create-app';

export interface RunningGateway {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * A gateway in this process on a free port, on the real Kafka and Redis, with extra variables.
 * Test files share one Redis and all call from 127.0.0.1, so the per-address limit of public
 * routes (RATE_LIMIT_PRINCIPAL_FREE) and of refused credentials (AUTH_FAILURE_LIMIT) are lifted
 * unless a test sets them.
 */
export async function startGateway(
  extra: Record<string, string>,
  topicPrefix = `g${uniqueSuffix()}.`,
): Promise<RunningGateway> {
  const config = testConfig('gateway', {
    topicPrefix,
    extra: {
      BUS_REQUEST_TIMEOUT_MS: '5000',
      RATE_LIMIT_PRINCIPAL_FREE: '1000000',
      AUTH_FAILURE_LIMIT: '1000000',
      ...extra,
    },
  });
  await markTenantStatusesSeeded(config.redis.url);
  const app = await createGatewayApp(config, createLogger('gateway', 'silent'));
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, close: () => app.close() };
}

/**
 * These gateways mostly run without a tenant service, which is what marks the shared Redis as
 * holding every tenant status (TENANT_STATUSES_SEEDED_KEY): mark it as that service would, else the
 * gateway fails closed. Tests of the rebuild itself use a private Redis. Best effort: a test whose
 * Redis is down at this point marks it after starting it.
 */
export async function markTenantStatusesSeeded(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.set(TENANT_STATUSES_SEEDED_KEY, 'test', 'NX');
  } catch {
    // A Redis that is down (some tests start it later): they mark it once it is up.
  } finally {
    redis.disconnect();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
export async function json(res: Response | Promise<Response>): Promise<any> {
  return (await res).json();
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
