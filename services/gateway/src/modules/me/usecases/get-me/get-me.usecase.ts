import { Injectable } from '@nestjs/common';
import type { Principal } from '../../../auth/principal';

/** The caller, as verified at the edge (no service call: the token says it all). */
@Injectable()
export class GetMeUseCase {
  execute(principal: Principal): Principal {
    const { kind, tenantId, userId, role, plan, sessionId } = principal;
    return { kind, tenantId, userId, role, plan, sessionId };
  }
}
