import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_ROUTES } from '@parley/contracts';
import { json, startGateway, type RunningGateway } from '../../testing/start-gateway';

describe('the OpenAPI document served at /api/docs-json', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway({ DEPLOYMENT_MODE: 'cloud' });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('has every route of the route table, generated from it, beside the gateway-local routes', async () => {
    const doc = await json(fetch(`${gateway.url}/api/docs-json`));
    for (const route of PUBLIC_ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(op.operationId).toBe(route.id);
      expect(op.security).toEqual(route.access.kind === 'public' ? undefined : [{ bearer: [] }]);
    }
    for (const path of ['/api/v1/me', '/api/v1/tenant', '/api/v1/health']) expect(doc.paths[path]).toBeDefined();
    expect(
      doc.paths['/api/v1/auth/members/{userId}'].patch.requestBody.content['application/json'].schema,
    ).toMatchObject({
      properties: { role: { enum: ['owner', 'admin', 'member', 'billing'] } },
    });
    expect(doc.components.schemas.ProblemDto).toBeDefined();
  });
});
