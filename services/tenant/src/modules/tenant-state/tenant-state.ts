import { DomainException, ErrorCode } from '@parley/contracts';
import type { TenantStatus } from '@parley/tenancy';

/** A tenant's control-plane row with its lifecycle columns, as the lifecycle use cases see it. */
export interface TenantState {
  id: string;
  slug: string;
  name: string;
  planId: 'free' | 'pro' | 'enterprise';
  status: TenantStatus;
  schemaName: string;
  suspendedAt: Date | null;
  suspensionReason: string | null;
  deletedAt: Date | null;
  purgeAfter: Date | null;
  purgedAt: Date | null;
  createdAt: Date;
  /** Set by every change (the database clock of its transaction). */
  updatedAt: Date;
}

/** What the internal API answers for a tenant whose lifecycle changed. */
export interface TenantStateView {
  tenantId: string;
  slug: string;
  name: string;
  plan: TenantState['planId'];
  status: TenantStatus;
  suspendedAt: string | null;
  suspensionReason: string | null;
  deletedAt: string | null;
  purgeAfter: string | null;
  purgedAt: string | null;
}

export function toTenantStateView(state: TenantState): TenantStateView {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return {
    tenantId: state.id,
    slug: state.slug,
    name: state.name,
    plan: state.planId,
    status: state.status,
    suspendedAt: iso(state.suspendedAt),
    suspensionReason: state.suspensionReason,
    deletedAt: iso(state.deletedAt),
    purgeAfter: iso(state.purgeAfter),
    purgedAt: iso(state.purgedAt),
  };
}

/** A deleted tenant is gone for every operation but restore: 409 in its grace period, 410 once purged. */
export function assertNotDeleted(state: TenantState): void {
  if (state.purgedAt) {
    throw new DomainException(ErrorCode.TenantPurged, 'The tenant was deleted and its data purged');
  }
  if (state.status === 'deleted') {
    throw new DomainException(ErrorCode.TenantDeleted, 'The tenant is deleted (it can be restored until purgeAfter)', {
      purgeAfter: state.purgeAfter?.toISOString(),
    });
  }
}

/** Writes to a tenant's data and flags: refused for a suspended (403) or deleted tenant. */
export function assertWritable(state: TenantState): void {
  assertNotDeleted(state);
  if (state.status === 'suspended') {
    throw new DomainException(ErrorCode.TenantSuspended, 'The tenant is suspended');
  }
}
