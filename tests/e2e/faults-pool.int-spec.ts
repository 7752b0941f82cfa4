import 'reflect-metadata';
import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusRequester, createServiceApp, PlatformModule } from '@parley/bus';
import { TenantCreateV1 } from '@parley/contracts';
import { createLogger } from '@parley/observability';
import { PlatformProcesses, testConfig, uniqueSuffix } from '@parley/testing';

const BACKLOG = 60;

@Module({})
class SenderApp {
  static forRoot(config: ReturnType<typeof testConfig>): DynamicModule {
    return {
      module: SenderApp,
      imports: [
        PlatformModule.forRoot(config, createLogger('gateway', 'silent'), {
          bus: { topics: [TenantCreateV1], warmRequester: true },
        }),
      ],
    };
  }
}

/**
 * Issue 11, defect 5: a backlog of tenant creations (each waits on one advisory lock while holding a
 * pooled connection) must not take every connection of the tenant service: handlers run at most
 * half the pool at once, so readiness (and HTTP) keep a connection and Postgres never reads "down".
 * The tenant service runs as a process with a pool of 4; 60 tenant.create.v1 commands arrive at once.
 */
describe('a backlog of tenant creations on a small pool', () => {
  let platform: PlatformProcesses;
  let sender: INestApplication;

  beforeAll(async () => {
    platform = await PlatformProcesses.start({
      services: ['tenant'],
      env: { DEPLOYMENT_MODE: 'cloud', DATABASE_POOL_MAX: '4' },
    });
    const config = testConfig('gateway', {
      topicPrefix: platform.topicPrefix,
      extra: { BUS_REQUEST_TIMEOUT_MS: '120000' },
    });
    sender = await createServiceApp(SenderApp.forRoot(config), config, createLogger('gateway', 'silent'));
    await sender.init();
  });

  afterAll(async () => {
    await sender?.close();
    await platform?.stop();
  });

  it('creates every tenant while readiness keeps seeing Postgres up', async () => {
    const requester = sender.get(BusRequester);
    const tenant = platform.get('tenant');
    const postgres: string[] = [];
    let sending = true;
    const probe = (async () => {
      while (sending) {
        const ready = (await (await fetch(`${tenant.url}/health/ready`)).json()) as {
          checks: Record<string, { status: string }>;
        };
        postgres.push(ready.checks.postgres?.status ?? 'missing');
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const suffix = uniqueSuffix();
    const results = await Promise.allSettled(
      Array.from({ length: BACKLOG }, (_, i) =>
        requester.request(TenantCreateV1, { name: `Backlog ${i}`, slug: `backlog-${suffix}-${i}`, plan: 'free' }),
      ),
    );
    sending = false;
    await probe;
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(postgres.length).toBeGreaterThan(0);
    expect(postgres.filter((s) => s !== 'up')).toEqual([]);
  });
});
