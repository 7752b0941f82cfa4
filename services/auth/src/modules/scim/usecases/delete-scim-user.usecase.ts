import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import { EdgeRevocation } from '../../sessions/edge-revocation';
import { scimNotFound } from '../scim-errors';
import { ScimMembershipSync } from '../scim-membership-sync';
import { ScimRepository } from '../scim.repository';

/** DELETE of a SCIM user: the membership goes, its sessions are revoked at once; the account stays (it may belong to other tenants). */
@Injectable()
export class DeleteScimUserUseCase {
  constructor(
    private readonly scim: ScimRepository,
    private readonly sync: ScimMembershipSync,
    private readonly edge: EdgeRevocation,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(tenantId: string, id: string): Promise<void> {
    const revoked = await this.scim.transaction(async (manager) => {
      await this.sync.lock(manager, tenantId);
      const user = await this.scim.findUser(manager, tenantId, id);
      if (!user) throw scimNotFound('User');
      const sessions = await this.sync.remove(manager, tenantId, user.userId);
      await this.scim.deleteUser(manager, tenantId, id);
      return sessions;
    });
    this.sync.publish();
    if (revoked.length > 0) await this.edge.revoke(revoked);
    this.logger.info({ tenantId, scimUserId: id }, 'SCIM user deleted');
  }
}
