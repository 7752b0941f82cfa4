import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import type { Role, VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { AccountsRepository } from '../../accounts.repository';

export interface Me {
  user: { id: string; email: string; name: string };
  tenant: { id: string; role: Role };
  sessionId: string;
}

/** Who the bearer is, with the current role; a revoked or vanished session is refused. */
@Injectable()
export class GetMeUseCase {
  constructor(private readonly accounts: AccountsRepository) {}

  async execute(access: VerifiedAccess): Promise<Me> {
    const view = await this.accounts.sessionView(access.sessionId, access.userId, access.tenantId);
    if (!view || view.revoked) throw new DomainException(ErrorCode.SessionRevoked, 'The session has been revoked');
    return { user: view.user, tenant: { id: access.tenantId, role: view.role }, sessionId: access.sessionId };
  }
}
