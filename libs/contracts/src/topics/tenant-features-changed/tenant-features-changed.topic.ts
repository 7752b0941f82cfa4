import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, uuidSchema } from '../common.schema';

/** A feature flag name: lower case, as `FEATURE_<NAME>` gives it (`FEATURE_VOICE_INPUT` → `voice_input`). */
export const featureNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be a lower-case flag name (a-z, 0-9, _)');

export const tenantFeaturesChangedV1Schema = z.strictObject({
  tenantId: uuidSchema,
  /** The flag whose tenant override changed. */
  name: featureNameSchema,
  /** The tenant's override now; null when it was cleared (the global default applies again). */
  override: z.boolean().nullable(),
  /** Every effective flag of the tenant after the change: a snapshot consumers can cache whole. */
  flags: z.record(featureNameSchema, z.boolean()),
  changedAt: isoDateSchema,
});

/** A tenant's feature flag override was set or cleared. Key: tenantId. */
export const TenantFeaturesChangedV1 = defineEvent({
  name: 'tenant.features-changed.v1',
  schema: tenantFeaturesChangedV1Schema,
  key: (message) => message.tenantId,
});
