import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxRelay, OutboxWriter } from '@parley/bus';
import { AuthMembershipChangedV1, type Role } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';

/**
 * `auth.membership-changed.v1` for a membership added, changed or removed: written to the outbox in
 * the change's own transaction (`record`), published right after the commit (`publish`), so every
 * gateway forgets the member's cached role at once.
 */
@Injectable()
export class MembershipEvents {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async record(manager: EntityManager, tenantId: string, userId: string, role: Role | null): Promise<void> {
    await this.outbox.add(manager, AuthMembershipChangedV1, {
      tenantId,
      userId,
      role,
      changedAt: new Date().toISOString(),
    });
  }

  publish(): void {
    void this.relay
      .flush()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Outbox flush failed; the relay retries'));
  }
}
