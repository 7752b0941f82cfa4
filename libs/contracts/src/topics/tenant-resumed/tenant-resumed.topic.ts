import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, uuidSchema } from '../common.schema';

export const tenantResumedV1Schema = z.strictObject({
  tenantId: uuidSchema,
  resumedAt: isoDateSchema,
});

/** A suspended tenant is active again. Key: tenantId. */
export const TenantResumedV1 = defineEvent({
  name: 'tenant.resumed.v1',
  schema: tenantResumedV1Schema,
  key: (message) => message.tenantId,
});
