import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit-log/audit-log.module';
import { ForwarderModule } from '../forwarding/forwarder.module';
import { TenantEventsConsumer } from './tenant-events.consumer';
import { TenantEventsController } from './tenant-events.controller';
import { ListTenantEventsUseCase } from './usecases/list-tenant-events/list-tenant-events.usecase';
import { RecordPlatformEventUseCase } from './usecases/record-platform-event/record-platform-event.usecase';

@Module({
  imports: [AuditLogModule, ForwarderModule],
  controllers: [TenantEventsConsumer, TenantEventsController],
  providers: [RecordPlatformEventUseCase, ListTenantEventsUseCase],
})
export class TenantEventsModule {}
