import { Module } from '@nestjs/common';
import { TenantEventsConsumer } from './tenant-events.consumer';
import { TenantEventsController } from './tenant-events.controller';
import { ListTenantEventsUseCase } from './usecases/list-tenant-events/list-tenant-events.usecase';
import { RecordPlatformEventUseCase } from './usecases/record-platform-event/record-platform-event.usecase';

@Module({
  controllers: [TenantEventsConsumer, TenantEventsController],
  providers: [RecordPlatformEventUseCase, ListTenantEventsUseCase],
})
export class TenantEventsModule {}
