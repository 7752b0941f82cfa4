import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, type MembershipView } from '@parley/contracts';
import type { VerifiedAccess } from '../../../access-tokens/access-token.claims';
import { AccountsRepository } from '../../accounts.repository';

/** The organisations the bearer belongs to (oldest membership first), the session's own marked `current`. */
@Injectable()
export class ListMembershipsUseCase {
  constructor(private readonly accounts: AccountsRepository) {}

  async execute(access: VerifiedAccess): Promise<{ memberships: MembershipView[] }> {
    const view = await this.accounts.sessionView(access.sessionId, access.userId, access.tenantId);
    if (!view || view.revoked) throw new DomainException(ErrorCode.SessionRevoked, 'The session has been revoked');
    const memberships = await this.accounts.membershipsOf(access.userId);
    return {
      memberships: memberships.map((m) => ({
        tenantId: m.tenantId,
        slug: m.slug,
        name: m.name,
        plan: m.plan,
        role: m.role,
        current: m.tenantId === access.tenantId,
      })),
    };
  }
}
