import { describe, expect, it } from 'vitest';
import { assertTenantId, tenantKey, tenantSchemaName } from './schema-name';
import { TenantContext } from './tenant-context';

const id = '0b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f';

describe('tenant schema naming', () => {
  it('is a pure function of the tenant id', () => {
    expect(tenantSchemaName(id)).toBe('tenant_0b8f3c2e1a2b4c3d8e4f5a6b7c8d9e0f');
    expect(tenantSchemaName(id)).toBe(tenantSchemaName(id));
  });

  it.each([
    '',
    'public',
    '0B8F3C2E-1A2B-4C3D-8E4F-5A6B7C8D9E0F',
    `${id}"; DROP SCHEMA public; --`,
    '../etc',
    'x'.repeat(36),
  ])('rejects %j', (bad) => {
    expect(() => tenantSchemaName(bad)).toThrow(/lowercase UUID/);
  });

  it('prefixes keys with the tenant id', () => {
    expect(tenantKey(id, 'rate', 'chat')).toBe(`${id}:rate:chat`);
    expect(() => tenantKey('*', 'rate')).toThrow();
    expect(assertTenantId(id)).toBe(id);
  });

  it('fails closed without a tenant in context', () => {
    expect(() => TenantContext.require()).toThrow(/No tenant in context/);
    expect(TenantContext.run(id, () => TenantContext.require())).toBe(id);
  });
});
