import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent } from '@parley/bus';
import { AuthMembershipChangedV1, type MessageOf } from '@parley/contracts';
import { RecordMembershipUseCase } from './usecases/record-membership/record-membership.usecase';

@Controller()
export class SeatsConsumer {
  constructor(private readonly recordMembership: RecordMembershipUseCase) {}

  @OnEvent(AuthMembershipChangedV1)
  async onMembershipChanged(@Payload() event: MessageOf<typeof AuthMembershipChangedV1>): Promise<void> {
    await this.recordMembership.execute(event);
  }
}
