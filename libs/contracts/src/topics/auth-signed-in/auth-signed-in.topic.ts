import { z } from 'zod';
import { defineEvent } from '../../bus/topic-definition';
import { isoDateSchema, uuidSchema } from '../common.schema';

export const authSignedInV1Schema = z.strictObject({
  tenantId: uuidSchema,
  userId: uuidSchema,
  /** The session it opened (one per sign-in, sign-up, accepted invite, SSO login or organisation switch). */
  sessionId: uuidSchema,
  signedInAt: isoDateSchema,
});

/** A person opened a session in a tenant (auth, through its outbox, in the session's transaction). Key: tenantId. */
export const AuthSignedInV1 = defineEvent({
  name: 'auth.signed-in.v1',
  schema: authSignedInV1Schema,
  key: (message) => message.tenantId,
});
