import { z } from 'zod';
import { defineCommand } from '../../bus/topic-definition';
import { tenantCreatedV1Schema } from '../tenant-created/tenant-created.topic';

export const tenantStatusSchema = z.enum(['provisioning', 'active', 'suspended', 'deleted']);

/** A tenant as the tenant service shows it: the `tenant.created.v1` fields plus its current state. */
export const tenantViewV1Schema = tenantCreatedV1Schema.extend({
  status: tenantStatusSchema,
  schemaVersion: z.string().min(1).max(200).nullable(),
});

/** No fields: the tenant is the one in the `x-tenant-id` header, set from verified credentials. */
export const getTenantV1Schema = z.strictObject({});

/**
 * Command: the caller's own tenant. The tenant service reads the tenant from the context restored
 * from the message headers, never from the payload. Reply: the tenant view. A read keeps no order,
 * so each request gets its own key and requests spread over partitions.
 */
export const TenantGetV1 = defineCommand({
  name: 'tenant.get.v1',
  schema: getTenantV1Schema,
  replySchema: tenantViewV1Schema,
  key: () => globalThis.crypto.randomUUID(),
});
