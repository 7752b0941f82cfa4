import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, planIdSchema, uuidSchema } from '../common.schema';

export const tenantPlanChangedV1Schema = z.strictObject({
  tenantId: uuidSchema,
  previousPlan: planIdSchema,
  plan: planIdSchema,
  changedAt: isoDateSchema,
});

/** A tenant moved to another plan; its limits are the new plan's row in `control.plans`. Key: tenantId. */
export const TenantPlanChangedV1 = defineEvent({
  name: 'tenant.plan-changed.v1',
  schema: tenantPlanChangedV1Schema,
  key: (message) => message.tenantId,
});
