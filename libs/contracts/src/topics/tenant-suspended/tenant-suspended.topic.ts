import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, uuidSchema } from '../common.schema';

export const tenantSuspendedV1Schema = z.strictObject({
  tenantId: uuidSchema,
  reason: z.string().min(1).max(500),
  suspendedAt: isoDateSchema,
});

/** A tenant is suspended: its requests get `tenant_suspended` (HTTP 403) until it is resumed. Key: tenantId. */
export const TenantSuspendedV1 = defineEvent({
  name: 'tenant.suspended.v1',
  schema: tenantSuspendedV1Schema,
  key: (message) => message.tenantId,
});
