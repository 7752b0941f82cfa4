import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, uuidSchema } from '../common.schema';

export const tenantDeletedV1Schema = z.strictObject({
  tenantId: uuidSchema,
  deletedAt: isoDateSchema,
  /** Until then the tenant can be restored; afterwards its schema is dropped (`tenant.purged.v1`). */
  purgeAfter: isoDateSchema,
});

/** A tenant is deleted: refuse its requests from now on. Key: tenantId. */
export const TenantDeletedV1 = defineEvent({
  name: 'tenant.deleted.v1',
  schema: tenantDeletedV1Schema,
  key: (message) => message.tenantId,
});
