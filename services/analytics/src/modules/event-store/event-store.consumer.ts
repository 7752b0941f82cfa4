import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent } from '@parley/bus';
import { ChatMessageCompletedV1, UsageRecordedV1, type MessageOf } from '@parley/contracts';
import { RecordMessageCompletedUseCase } from './usecases/record-message-completed/record-message-completed.usecase';
import { RecordUsageUseCase } from './usecases/record-usage/record-usage.usecase';

/** Usage and completed answers into the tenant's event store, each once (keyed by usage id and message id). */
@Controller()
export class EventStoreConsumer {
  constructor(
    private readonly recordUsage: RecordUsageUseCase,
    private readonly recordMessage: RecordMessageCompletedUseCase,
  ) {}

  @OnEvent(UsageRecordedV1)
  async onUsageRecorded(@Payload() event: MessageOf<typeof UsageRecordedV1>): Promise<void> {
    await this.recordUsage.execute(event);
  }

  @OnEvent(ChatMessageCompletedV1)
  async onMessageCompleted(@Payload() event: MessageOf<typeof ChatMessageCompletedV1>): Promise<void> {
    await this.recordMessage.execute(event);
  }
}
