import { Module } from '@nestjs/common';
import { ForwarderModule } from '../forwarding/forwarder.module';
import { EventStoreConsumer } from './event-store.consumer';
import { RecordMessageCompletedUseCase } from './usecases/record-message-completed/record-message-completed.usecase';
import { RecordUsageUseCase } from './usecases/record-usage/record-usage.usecase';

/** The per-tenant event store of usage records and completed answers; what is new is offered to the forwarder. */
@Module({
  imports: [ForwarderModule],
  controllers: [EventStoreConsumer],
  providers: [RecordUsageUseCase, RecordMessageCompletedUseCase],
})
export class EventStoreModule {}
