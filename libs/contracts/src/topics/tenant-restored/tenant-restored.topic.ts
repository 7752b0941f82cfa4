import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, uuidSchema } from '../common.schema';

export const tenantRestoredV1Schema = z.strictObject({
  tenantId: uuidSchema,
  /** The status it had before the deletion: a tenant suspended then deleted comes back suspended. */
  status: z.enum(['active', 'suspended']),
  restoredAt: isoDateSchema,
});

/** A deleted tenant was restored within its grace period. Key: tenantId. */
export const TenantRestoredV1 = defineEvent({
  name: 'tenant.restored.v1',
  schema: tenantRestoredV1Schema,
  key: (message) => message.tenantId,
});
