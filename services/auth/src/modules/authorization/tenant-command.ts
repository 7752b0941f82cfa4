import { TenantContext } from '@parley/tenancy';
import type { VerifiedAccess } from '../access-tokens/access-token.claims';

/** Who asks: the user and session of a verified access token. */
export interface ActorRef {
  userId: string;
  sessionId: string;
}

/**
 * Base of every command on a tenant's data. The tenant comes only from the verified access token,
 * which the bearer guard also put in the request context: it is read from there (failing closed
 * without one) and must agree with the token. Never from a body, path or header.
 */
export abstract class TenantCommand {
  readonly tenantId: string;
  readonly actor: ActorRef;

  protected constructor(access: VerifiedAccess) {
    const tenantId = TenantContext.require();
    if (tenantId !== access.tenantId)
      throw new Error('The request context and the access token name different tenants');
    this.tenantId = tenantId;
    this.actor = { userId: access.userId, sessionId: access.sessionId };
  }
}
