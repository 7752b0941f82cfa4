import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, uuidSchema } from '../common.schema';
import { roleSchema } from '../../auth/roles';

export const authMembershipChangedV1Schema = z.strictObject({
  tenantId: uuidSchema,
  userId: uuidSchema,
  /** The role as it is now; null when the membership was removed. */
  role: roleSchema.nullable(),
  changedAt: isoDateSchema,
});

/**
 * A membership was added, changed role or removed (auth, through its outbox). Whoever caches
 * roles (the gateway) forgets that member's at once, so a demotion applies to the next request.
 * Key: tenantId.
 */
export const AuthMembershipChangedV1 = defineEvent({
  name: 'auth.membership-changed.v1',
  schema: authMembershipChangedV1Schema,
  key: (message) => message.tenantId,
});
