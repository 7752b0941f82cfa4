import { defineCommand } from '../../bus/topic-definition';
import { uuidSchema } from '../common.schema';
import { tenantCreatedV1Schema } from '../tenant-created/tenant-created.topic';
import { createTenantV1Schema } from './tenant-create.topic';

/**
 * v1 plus the sign-up saga's id (a new version: v1 is strict, so its consumers would refuse the
 * field). The tenant service records which sign-up created the tenant; a redelivered command
 * answers with that tenant, and one whose sign-up was abandoned (`tenant.signup-abandoned.v1`)
 * creates nothing (`signup_abandoned`).
 */
export const createTenantV2Schema = createTenantV1Schema.extend({ signupId: uuidSchema });

/** Command: create a tenant for a sign-up. Reply: the created tenant. Key: slug. */
export const TenantCreateV2 = defineCommand({
  name: 'tenant.create.v2',
  schema: createTenantV2Schema,
  replySchema: tenantCreatedV1Schema,
  key: (message) => message.slug,
});
