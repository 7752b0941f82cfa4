import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent } from '@parley/bus';
import { TenantCreatedV1, type MessageOf } from '@parley/contracts';
import { RecordTenantCreatedUseCase } from './usecases/record-tenant-created/record-tenant-created.usecase';

@Controller()
export class TenantEventsConsumer {
  constructor(private readonly recordTenantCreated: RecordTenantCreatedUseCase) {}

  @OnEvent(TenantCreatedV1)
  async onTenantCreated(@Payload() event: MessageOf<typeof TenantCreatedV1>): Promise<void> {
    await this.recordTenantCreated.execute(event);
  }
}
