import { Module } from '@nestjs/common';
import { TenantEventsConsumer } from './tenant-events.consumer';
import { TenantEventsController } from './tenant-events.controller';
import { ListTenantEventsUseCase } from './usecases/list-tenant-events/list-tenant-events.usecase';
import { RecordTenantCreatedUseCase } from './usecases/record-tenant-created/record-tenant-created.usecase';

@Module({
  controllers: [TenantEventsConsumer, TenantEventsController],
  providers: [RecordTenantCreatedUseCase, ListTenantEventsUseCase],
})
export class TenantEventsModule {}
