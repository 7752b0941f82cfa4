import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { deploymentModeSchema, isoDateSchema, planIdSchema, slugSchema, uuidSchema } from '../common.schema';

export const tenantCreatedV1Schema = z.strictObject({
  tenantId: uuidSchema,
  name: z.string().min(1).max(200),
  slug: slugSchema,
  plan: planIdSchema,
  deploymentMode: deploymentModeSchema,
  schemaName: z.string().regex(/^tenant_[0-9a-f]{32}$/),
  createdAt: isoDateSchema,
});

/** A tenant exists and its schema is provisioned at the latest version. Key: tenantId. */
export const TenantCreatedV1 = defineEvent({
  name: 'tenant.created.v1',
  schema: tenantCreatedV1Schema,
  key: (message) => message.tenantId,
});
