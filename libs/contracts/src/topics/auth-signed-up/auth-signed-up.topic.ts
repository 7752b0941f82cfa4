import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, uuidSchema } from '../common.schema';

export const authSignedUpV1Schema = z.strictObject({
  tenantId: uuidSchema,
  /** The person who signed up: the organisation's first owner. */
  userId: uuidSchema,
  signedUpAt: isoDateSchema,
});

/** Someone signed up and owns the new tenant (auth, through its outbox, in the sign-up's transaction). Key: tenantId. */
export const AuthSignedUpV1 = defineEvent({
  name: 'auth.signed-up.v1',
  schema: authSignedUpV1Schema,
  key: (message) => message.tenantId,
});
