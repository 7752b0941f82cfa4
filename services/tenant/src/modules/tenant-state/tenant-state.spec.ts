import { describe, expect, it } from 'vitest';
import { assertNotDeleted, assertWritable, toTenantStateView, type TenantState } from './tenant-state';

const base: TenantState = {
  id: '0b8f3c2e-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
  slug: 'acme',
  name: 'Acme',
  planId: 'pro',
  status: 'active',
  schemaName: 'tenant_0b8f3c2e1a2b4c3d8e4f5a6b7c8d9e0f',
  suspendedAt: null,
  suspensionReason: null,
  deletedAt: null,
  purgeAfter: null,
  purgedAt: null,
  createdAt: new Date('2025-01-01T00:00:00Z'),
  updatedAt: new Date('2025-01-01T00:00:00Z'),
};
const at = new Date('2025-02-01T00:00:00Z');

describe('tenant state guards', () => {
  it('let an active tenant write', () => {
    expect(() => assertWritable(base)).not.toThrow();
  });

  it.each([
    ['suspended', { status: 'suspended', suspendedAt: at }, 'tenant_suspended', 403],
    ['deleted', { status: 'deleted', deletedAt: at, purgeAfter: at }, 'tenant_deleted', 409],
    ['purged', { status: 'deleted', deletedAt: at, purgeAfter: at, purgedAt: at }, 'tenant_purged', 410],
  ] as const)('refuse writes to a %s tenant with %s', (_, patch, code, status) => {
    expect(() => assertWritable({ ...base, ...patch })).toThrow(expect.objectContaining({ code, httpStatus: status }));
  });

  it('let a suspended tenant be read, but not a deleted one', () => {
    expect(() => assertNotDeleted({ ...base, status: 'suspended', suspendedAt: at })).not.toThrow();
    expect(() => assertNotDeleted({ ...base, status: 'deleted', deletedAt: at, purgeAfter: at })).toThrow(
      expect.objectContaining({ code: 'tenant_deleted' }),
    );
  });

  it('shows dates as ISO strings', () => {
    expect(toTenantStateView({ ...base, status: 'deleted', deletedAt: at, purgeAfter: at })).toMatchObject({
      tenantId: base.id,
      plan: 'pro',
      status: 'deleted',
      deletedAt: at.toISOString(),
      purgeAfter: at.toISOString(),
      purgedAt: null,
    });
  });
});
