import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@parley/testing';
import { json, startGateway, type RunningGateway } from '../../testing/start-gateway';

type Behaviour = 'ready' | 'not-ready' | 'degraded' | 'hang' | 'closed';

/** A service's /health/ready as it answers over HTTP, switchable per test. */
class ReadinessStandIn {
  behaviour: Behaviour = 'ready';
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => {
      if (req.url !== '/health/ready' || this.behaviour === 'hang') return; // never answers
      if (this.behaviour === 'closed') {
        res.socket?.destroy();
        return;
      }
      const down = this.behaviour === 'not-ready';
      res.writeHead(down ? 503 : 200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: down ? 'unavailable' : 'ok',
          checks: {
            postgres: {
              status: down ? 'down' : 'up',
              latencyMs: 1,
              error: down ? 'connect ECONNREFUSED 10.0.0.5' : undefined,
            },
            redis: { status: this.behaviour === 'degraded' ? 'degraded' : 'up', latencyMs: 1 },
          },
        }),
      );
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  static async start(): Promise<ReadinessStandIn> {
    const standIn = new ReadinessStandIn();
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const SERVICES = ['auth', 'tenant', 'billing', 'chat-orchestrator', 'stt', 'analytics'] as const;
const VARIABLES = ['AUTH', 'TENANT', 'BILLING', 'CHAT', 'STT', 'ANALYTICS'] as const;

describe('GET /api/v1/health', () => {
  let standIns: ReadinessStandIn[];
  let gateway: RunningGateway;
  let nobodyHome: RunningGateway;
  const health = (g: RunningGateway) => fetch(`${g.url}/api/v1/health`);

  beforeAll(async () => {
    standIns = await Promise.all(SERVICES.map(() => ReadinessStandIn.start()));
    const urls = Object.fromEntries(VARIABLES.map((v, i) => [`${v}_SERVICE_URL`, standIns[i]?.url ?? '']));
    const closed = `http://127.0.0.1:${await freePort()}`;
    const closedUrls = Object.fromEntries(VARIABLES.map((v) => [`${v}_SERVICE_URL`, closed]));
    [gateway, nobodyHome] = await Promise.all([startGateway(urls), startGateway(closedUrls)]);
  });

  afterAll(async () => {
    await Promise.all([gateway?.close(), nobodyHome?.close()]);
    await Promise.all((standIns ?? []).map((s) => s.close()));
  });

  it('is 200 with every service up, with latencies, and needs no token', async () => {
    for (const s of standIns) s.behaviour = 'ready';
    const res = await health(gateway);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.status).toBe('ok');
    expect(Object.keys(body.services).sort()).toEqual(['gateway', ...SERVICES].sort());
    for (const service of Object.values<{ status: string; latencyMs: number }>(body.services)) {
      expect(service.status).toBe('up');
      expect(service.latencyMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('stays 200 when a service is ready on a fallback, and says degraded', async () => {
    (standIns[1] as ReadinessStandIn).behaviour = 'degraded';
    const res = await health(gateway);
    expect(res.status).toBe(200);
    expect((await json(res)).services.tenant.status).toBe('degraded');
    (standIns[1] as ReadinessStandIn).behaviour = 'ready';
  });

  it('is 503 naming the services that are down, not ready, hanging or dropping, within the short deadline', async () => {
    const behaviours: Behaviour[] = ['ready', 'not-ready', 'hang', 'closed', 'ready', 'ready'];
    behaviours.forEach((b, i) => ((standIns[i] as ReadinessStandIn).behaviour = b));
    const started = performance.now();
    const res = await health(gateway);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(503);
    const body = await json(res);
    expect(body.status).toBe('unavailable');
    expect(body.services.auth.status).toBe('up');
    expect(body.services.tenant).toMatchObject({ status: 'down', error: 'not ready: postgres' });
    expect(body.services.billing).toMatchObject({ status: 'down', error: 'timeout' });
    expect(body.services['chat-orchestrator']).toMatchObject({ status: 'down', error: 'unreachable' });
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|10\.0\.0\.5|127\.0\.0\.1/);
    for (const s of standIns) s.behaviour = 'ready';
  });

  it('is 503 with every service named when none is running', async () => {
    const res = await health(nobodyHome);
    expect(res.status).toBe(503);
    const body = await json(res);
    expect(body.services.gateway.status).toBe('up');
    for (const name of SERVICES)
      expect(body.services[name], name).toMatchObject({ status: 'down', error: 'unreachable' });
  });
});
