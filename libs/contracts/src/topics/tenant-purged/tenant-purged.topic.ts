import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, uuidSchema } from '../common.schema';

export const tenantPurgedV1Schema = z.strictObject({
  tenantId: uuidSchema,
  schemaName: z.string().regex(/^tenant_[0-9a-f]{32}$/),
  purgedAt: isoDateSchema,
});

/**
 * A deleted tenant's grace period ended and its schema was dropped; the control-plane record stays
 * as the audit trail. Services drop what they keep for it elsewhere. Key: tenantId.
 */
export const TenantPurgedV1 = defineEvent({
  name: 'tenant.purged.v1',
  schema: tenantPurgedV1Schema,
  key: (message) => message.tenantId,
});
