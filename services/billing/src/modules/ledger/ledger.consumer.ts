import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent } from '@parley/bus';
import { UsageRecordedV1, type MessageOf } from '@parley/contracts';
import { RecordUsageUseCase } from './usecases/record-usage/record-usage.usecase';

@Controller()
export class LedgerConsumer {
  constructor(private readonly recordUsage: RecordUsageUseCase) {}

  @OnEvent(UsageRecordedV1)
  async onUsageRecorded(@Payload() event: MessageOf<typeof UsageRecordedV1>): Promise<void> {
    await this.recordUsage.execute(event);
  }
}
