import { Injectable } from '@nestjs/common';
import type { Principal } from '../../../auth/principal';

/** The caller, as verified at the edge (no service call: the credential says it all). */
@Injectable()
export class GetMeUseCase {
  execute(principal: Principal): Principal {
    const { kind, tenantId, userId, role, plan, sessionId, apiKeyId, scopes } = principal;
    const me: Principal = { kind, tenantId, userId, role, plan, sessionId };
    if (apiKeyId !== undefined) me.apiKeyId = apiKeyId;
    if (scopes !== undefined) me.scopes = [...scopes];
    return me;
  }
}
