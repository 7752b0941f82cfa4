import { z } from 'zod';
import { uuidSchema } from '../topics/common.schema';

/**
 * Instant revocation at the edge: auth writes each revoked session to Redis as
 * `<tenantId>:revoked-session:<sessionId>` (TTL: the access-token lifetime, after which no token
 * of it is valid anyway) and publishes it on SESSION_REVOKED_CHANNEL; the gateway refuses a
 * request of such a session (401 `session_revoked`) and closes its open WebSockets (4401).
 */
export const SESSION_REVOKED_CHANNEL = 'parley:session-revoked';

export function revokedSessionKey(tenantId: string, sessionId: string): string {
  return `${tenantId}:revoked-session:${sessionId}`;
}

export const sessionRevokedMessageSchema = z.strictObject({
  tenantId: uuidSchema,
  sessionIds: z.array(z.string().min(1).max(128)).min(1).max(10_000),
});
export type SessionRevokedMessage = z.infer<typeof sessionRevokedMessageSchema>;
