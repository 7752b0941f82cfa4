import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent } from '@parley/bus';
import { AuthMembershipChangedV1, type MessageOf } from '@parley/contracts';
import { MembershipRoles } from './membership-roles';

/** A membership changed in auth: this replica forgets the member's cached role at once. */
@Controller()
export class MembershipConsumer {
  constructor(private readonly roles: MembershipRoles) {}

  @OnEvent(AuthMembershipChangedV1)
  onChanged(@Payload() event: MessageOf<typeof AuthMembershipChangedV1>): void {
    this.roles.forget(event.tenantId, event.userId);
  }
}
