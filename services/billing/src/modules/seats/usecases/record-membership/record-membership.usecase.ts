import { Injectable } from '@nestjs/common';
import type { AuthMembershipChangedV1, MessageOf } from '@parley/contracts';
import { SeatsRepository } from '../../seats.repository';

/**
 * `auth.membership-changed.v1` (sign-ups, invites, SSO just-in-time, SCIM, removals) → billing's
 * member projection; the tenant is marked for the next (debounced) seat sync to Stripe.
 */
@Injectable()
export class RecordMembershipUseCase {
  constructor(private readonly seats: SeatsRepository) {}

  async execute(event: MessageOf<typeof AuthMembershipChangedV1>): Promise<void> {
    await this.seats.applyMembership(event.tenantId, event.userId, event.role !== null);
  }
}
