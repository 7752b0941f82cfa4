import type { INestApplication } from '@nestjs/common';
import { createLogger } from '@parley/observability';
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
  const app = await createGatewayApp(config, createLogger('gateway', 'silent'));
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, close: () => app.close() };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
export async function json(res: Response | Promise<Response>): Promise<any> {
  return (await res).json();
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
