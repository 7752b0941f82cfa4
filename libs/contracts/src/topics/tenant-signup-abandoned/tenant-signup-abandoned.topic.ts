import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, slugSchema, uuidSchema } from '../common.schema';

/**
 * Why auth gave the sign-up up after sending its `tenant.create.v2`; `saga_expired`: found unfinished
 * past its deadline by the sweep (the auth process that ran it died, or could not compensate).
 */
export const signupAbandonReasonSchema = z.enum([
  'reply_timeout',
  'bus_unavailable',
  'tenant_refused',
  'owner_failed',
  'saga_expired',
]);

export const tenantSignupAbandonedV1Schema = z.strictObject({
  signupId: uuidSchema,
  slug: slugSchema,
  reason: signupAbandonReasonSchema,
  abandonedAt: isoDateSchema,
});

/**
 * The sign-up saga's compensation, published by auth (through its outbox) when a sign-up fails
 * after its `tenant.create.v2` was sent. The tenant service deletes the tenant that sign-up
 * created, if any (auth has written no owner for it), frees its slug, and remembers the id so a
 * late command for it creates nothing. Key: signupId.
 */
export const TenantSignupAbandonedV1 = defineEvent({
  name: 'tenant.signup-abandoned.v1',
  schema: tenantSignupAbandonedV1Schema,
  key: (message) => message.signupId,
});
