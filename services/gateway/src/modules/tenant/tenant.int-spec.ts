import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformProcesses, serviceFetch, uniqueSuffix } from '@parley/testing';
import { AuthStandIn } from '../../testing/auth-stand-in';
import { bearer, json, startGateway, type RunningGateway } from '../../testing/start-gateway';

/** The built tenant service as its own process, on a fresh database, sharing the gateway's topics. */
const startTenantService = (mode: 'cloud' | 'self-hosted', topicPrefix: string) =>
  PlatformProcesses.start({ services: ['tenant'], env: { DEPLOYMENT_MODE: mode }, topicPrefix });

describe('GET /api/v1/tenant through Kafka to the tenant service (cloud)', () => {
  const prefix = `g${uniqueSuffix()}.`;
  let platform: PlatformProcesses;
  let tenantUrl: string;
  let auth: AuthStandIn;
  let gateway: RunningGateway;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tenant records as the service returns them
  const tenants: Record<'acme' | 'globex', any> = {} as never;

  beforeAll(async () => {
    platform = await startTenantService('cloud', prefix);
    tenantUrl = platform.url('tenant');
    auth = await AuthStandIn.start();
    gateway = await startGateway(
      {
        DEPLOYMENT_MODE: 'cloud',
        AUTH_JWKS_URL: auth.jwksUrl,
        AUTH_SERVICE_URL: auth.url,
        TENANT_SERVICE_URL: tenantUrl,
      },
      prefix,
    );
    for (const slug of ['acme', 'globex'] as const) {
      const res = await serviceFetch(`${tenantUrl}/internal/tenants`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: slug, slug, plan: slug === 'acme' ? 'pro' : 'free' }),
      });
      expect(res.status).toBe(201);
      tenants[slug] = await res.json();
    }
  });

  afterAll(async () => {
    await gateway?.close();
    await auth?.close();
    await platform?.stop();
  });

  it("answers each caller with its own tenant: another tenant's token cannot read it", async () => {
    for (const slug of ['acme', 'globex'] as const) {
      const token = await auth.mint({ tid: tenants[slug].tenantId, plan: tenants[slug].plan });
      const res = await fetch(`${gateway.url}/api/v1/tenant`, { headers: bearer(token) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ...tenants[slug], status: 'active', schemaVersion: expect.any(String) });
    }
  });

  it('gives no way to name the other tenant: header 400, query 400, tampered token 401', async () => {
    const token = await auth.mint({ tid: tenants.acme.tenantId });
    const header = await fetch(`${gateway.url}/api/v1/tenant`, {
      headers: { ...bearer(token), 'x-tenant-id': tenants.globex.tenantId },
    });
    expect(header.status).toBe(400);
    const query = await fetch(`${gateway.url}/api/v1/tenant?tenantId=${tenants.globex.tenantId}`, {
      headers: bearer(token),
    });
    expect(query.status).toBe(400);
    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ tid: tenants.globex.tenantId })).toString('base64url');
    const tampered = await fetch(`${gateway.url}/api/v1/tenant`, { headers: bearer(`${h}.${forged}.${s}`) });
    expect(tampered.status).toBe(401);
  });

  it('answers 404 tenant_not_found for a valid token of a tenant that does not exist', async () => {
    const token = await auth.mint({ tid: '6f9619ff-8b86-4d11-b42d-00c04fc964ff' });
    const res = await fetch(`${gateway.url}/api/v1/tenant`, { headers: bearer(token) });
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('tenant_not_found');
  });
});

describe('self-hosted with AUTH_REQUIRED=false', () => {
  const prefix = `g${uniqueSuffix()}.`;
  let platform: PlatformProcesses;
  let tenantUrl: string;
  let auth: AuthStandIn;
  let gateway: RunningGateway;

  beforeAll(async () => {
    platform = await startTenantService('self-hosted', prefix);
    tenantUrl = platform.url('tenant');
    auth = await AuthStandIn.start();
    gateway = await startGateway(
      {
        DEPLOYMENT_MODE: 'self-hosted',
        AUTH_REQUIRED: 'false',
        AUTH_JWKS_URL: auth.jwksUrl,
        AUTH_SERVICE_URL: auth.url,
      },
      prefix,
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await auth?.close();
    await platform?.stop();
  });

  it("acts as the default tenant's owner without credentials", async () => {
    const listed = await json(serviceFetch(`${tenantUrl}/internal/tenants`));
    const defaultTenant = listed.items[0];
    const me = await json(fetch(`${gateway.url}/api/v1/me`));
    expect(me).toEqual({
      kind: 'anonymous',
      tenantId: defaultTenant.tenantId,
      userId: 'anonymous',
      role: 'owner',
      plan: 'enterprise',
      sessionId: null,
    });
    const tenant = await json(fetch(`${gateway.url}/api/v1/tenant`));
    expect(tenant).toMatchObject({ tenantId: defaultTenant.tenantId, slug: 'default', deploymentMode: 'self-hosted' });
  });

  it('still refuses a bad credential (no silent fallback) and a tenant header', async () => {
    const bad = await fetch(`${gateway.url}/api/v1/me`, { headers: { authorization: 'Bearer a.b.c' } });
    expect(bad.status).toBe(401);
    const spoofed = await fetch(`${gateway.url}/api/v1/me`, { headers: { 'x-tenant-id': 'whatever' } });
    expect(spoofed.status).toBe(400);
  });
});
