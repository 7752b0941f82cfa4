import { z } from 'zod';
import { defineCommand } from '../../bus/topic-definition';
import { tenantViewV1Schema } from '../tenant-get/tenant-get.topic';

export const getDefaultTenantV1Schema = z.strictObject({});

/**
 * Command: the self-hosted default tenant (the gateway acts as its owner when AUTH_REQUIRED=false).
 * Reply: the tenant view; `tenant_not_found` in cloud mode, which has no default tenant.
 */
export const TenantGetDefaultV1 = defineCommand({
  name: 'tenant.get-default.v1',
  schema: getDefaultTenantV1Schema,
  replySchema: tenantViewV1Schema,
  key: () => globalThis.crypto.randomUUID(),
});
