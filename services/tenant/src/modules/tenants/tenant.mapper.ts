import type { MessageOf, TenantCreatedV1 } from '@parley/contracts';
import type { TenantEntity } from '@parley/tenancy';

export type TenantView = MessageOf<typeof TenantCreatedV1> & {
  status: TenantEntity['status'];
  schemaVersion: string | null;
};

export function toTenantView(tenant: TenantEntity): TenantView {
  return {
    tenantId: tenant.id,
    name: tenant.name,
    slug: tenant.slug,
    plan: tenant.planId as TenantView['plan'],
    deploymentMode: tenant.deploymentMode,
    schemaName: tenant.schemaName,
    createdAt: tenant.createdAt.toISOString(),
    status: tenant.status,
    schemaVersion: tenant.schemaVersion,
  };
}
