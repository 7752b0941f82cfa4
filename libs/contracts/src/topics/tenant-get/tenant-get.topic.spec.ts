import { describe, expect, it } from 'vitest';
import { TenantGetDefaultV1 } from '../tenant-get-default/tenant-get-default.topic';
import { TenantGetV1 } from './tenant-get.topic';

const view = {
  tenantId: '0b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
  name: 'Acme',
  slug: 'acme',
  plan: 'pro',
  deploymentMode: 'cloud',
  schemaName: 'tenant_0b8f3c2e1a2b4c3d8e4f5a6b7c8d9e0f',
  createdAt: new Date().toISOString(),
  status: 'active',
  schemaVersion: '0002-analytics-events',
} as const;

describe('tenant.get.v1 and tenant.get-default.v1', () => {
  it.each([TenantGetV1, TenantGetDefaultV1])('$name takes an empty request: a tenant id in it is refused', (topic) => {
    expect(topic.schema.safeParse({}).success).toBe(true);
    expect(topic.schema.safeParse({ tenantId: view.tenantId }).success).toBe(false);
  });

  it.each([TenantGetV1, TenantGetDefaultV1])('$name replies with the strict tenant view', (topic) => {
    expect(topic.replySchema.safeParse(view).success).toBe(true);
    expect(topic.replySchema.safeParse({ ...view, schemaVersion: null }).success).toBe(true);
    expect(topic.replySchema.safeParse({ ...view, status: 'gone' }).success).toBe(false);
    expect(topic.replySchema.safeParse({ ...view, extra: 1 }).success).toBe(false);
    const { status: _status, ...withoutStatus } = view;
    expect(topic.replySchema.safeParse(withoutStatus).success).toBe(false);
  });

  it('spreads requests over keys (a read keeps no order)', () => {
    expect(TenantGetV1.key({})).not.toBe(TenantGetV1.key({}));
  });
});
