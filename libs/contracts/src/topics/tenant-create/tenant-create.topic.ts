import { z } from 'zod';
import { defineCommand } from '../../bus/topic-definition';
import { planIdSchema, slugSchema } from '../common.schema';
import { tenantCreatedV1Schema } from '../tenant-created/tenant-created.topic';

export const createTenantV1Schema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  slug: slugSchema,
  plan: planIdSchema.default('free'),
});

/** Command: create a tenant and provision its schema. Reply: the created tenant. Key: slug. */
export const TenantCreateV1 = defineCommand({
  name: 'tenant.create.v1',
  schema: createTenantV1Schema,
  replySchema: tenantCreatedV1Schema,
  key: (message) => message.slug,
});
