import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EgressPolicy } from '@parley/config';
import { EgressAgents } from './egress-agents';

const cloud = new EgressPolicy({ allowHttp: true, allowPrivate: false, allowlist: [] });
const open = new EgressPolicy({ allowHttp: true, allowPrivate: true, allowlist: [] });

describe('EgressAgents', () => {
  let server: Server;
  let port: number;
  const agents = new EgressAgents();

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    agents.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('keeps one set of pools per policy, apart from the platform pools', () => {
    expect(agents.for(cloud)).toBe(agents.for(cloud));
    expect(agents.for(cloud)).not.toBe(agents.for(open));
    expect(agents.for(undefined)).toBe(agents.for(null));
    expect(agents.for(undefined)).not.toBe(agents.for(cloud));
  });

  it("resolves a tenant call's name through its policy: a name for loopback never connects", async () => {
    const refused = await agents
      .for(cloud)
      .request({ origin: `http://localhost:${port}`, path: '/', method: 'GET' })
      .then(() => 'connected')
      .catch((error: { cause?: { code?: string }; code?: string }) => error.cause?.code ?? error.code);
    expect(refused).toBe('egress_denied');
    const allowed = await agents.for(open).request({ origin: `http://localhost:${port}`, path: '/', method: 'GET' });
    expect(await allowed.body.text()).toBe('ok');
    const platform = await agents
      .for(undefined)
      .request({ origin: `http://localhost:${port}`, path: '/', method: 'GET' });
    expect(platform.statusCode).toBe(200);
    await platform.body.dump();
  });
});
