import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformProcesses, serviceCredentialHeaders, uniqueSuffix, waitFor } from '@parley/testing';
import { AuthStandIn } from '../../testing/auth-stand-in';
import { call, PLATFORM_TEST_ENV } from '../../testing/http-call';
import { bearer, startGateway, type RunningGateway } from '../../testing/start-gateway';

describe('suspended and deleted tenants are refused at the edge (the real tenant service)', () => {
  let services: PlatformProcesses;
  let auth: AuthStandIn;
  let gateways: RunningGateway[] = [];

  const lifecycle = async (tenantId: string, action: string, method = 'POST') => {
    const url = `${services.url('tenant')}/internal/tenants/${tenantId}${action ? `/${action}` : ''}`;
    const res = await call(url, method, {
      body: { reason: 'integration test' },
      headers: await serviceCredentialHeaders(),
    });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  };

  async function createTenant(): Promise<string> {
    const suffix = uniqueSuffix();
    const res = await call(`${services.url('tenant')}/internal/tenants`, 'POST', {
      body: { name: `Status ${suffix}`, slug: `status-${suffix}` },
      headers: await serviceCredentialHeaders(),
    });
    if (res.status !== 201) throw new Error(`create tenant answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.tenantId as string;
  }

  /** Each replica's answer to /api/v1/me for a member of the tenant: status and error code. */
  async function answers(tenantId: string): Promise<string[]> {
    const token = await auth.mint({ tid: tenantId });
    return Promise.all(
      gateways.map(async (gateway) => {
        const res = await fetch(`${gateway.url}/api/v1/me`, { headers: bearer(token) });
        const body = (await res.json()) as { error?: { code: string } };
        return `${res.status} ${body.error?.code ?? 'ok'}`;
      }),
    );
  }

  const becomes = (tenantId: string, expected: string) =>
    waitFor(async () => (await answers(tenantId)).every((a) => a === expected), {
      what: `tenant ${tenantId} answering ${expected}`,
      timeoutMs: 15_000,
    });

  beforeAll(async () => {
    services = await PlatformProcesses.start({ services: ['tenant'], env: PLATFORM_TEST_ENV });
    auth = await AuthStandIn.start();
    const extra = { DEPLOYMENT_MODE: 'cloud', AUTH_JWKS_URL: auth.jwksUrl, AUTH_SERVICE_URL: auth.url };
    gateways = [await startGateway(extra, services.topicPrefix), await startGateway(extra, services.topicPrefix)];
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await auth?.close();
    await services?.stop();
  });

  it('refuses a suspended tenant with 403 tenant_suspended on every replica, and admits it again once resumed', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    expect(await answers(tenant)).toEqual(['200 ok', '200 ok']);

    await lifecycle(tenant, 'suspend');
    await becomes(tenant, '403 tenant_suspended');
    expect(await answers(other)).toEqual(['200 ok', '200 ok']);

    await lifecycle(tenant, 'resume');
    await becomes(tenant, '200 ok');
  });

  it('refuses a deleted tenant with tenant_deleted until it is restored; another tenant is unaffected', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    expect(await answers(tenant)).toEqual(['200 ok', '200 ok']);

    await lifecycle(tenant, '', 'DELETE');
    await becomes(tenant, '409 tenant_deleted');
    expect(await answers(other)).toEqual(['200 ok', '200 ok']);

    await lifecycle(tenant, 'restore');
    await becomes(tenant, '200 ok');
  });
});
