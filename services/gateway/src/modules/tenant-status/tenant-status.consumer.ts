import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent } from '@parley/bus';
import {
  TenantDeletedV1,
  TenantPurgedV1,
  TenantRestoredV1,
  TenantResumedV1,
  TenantSuspendedV1,
  type MessageOf,
} from '@parley/contracts';
import { RecordTenantStatusUseCase } from './usecases/record-tenant-status/record-tenant-status.usecase';

/** The tenant lifecycle events (validated by the bus against their contracts) become a status. */
@Controller()
export class TenantStatusConsumer {
  constructor(private readonly record: RecordTenantStatusUseCase) {}

  @OnEvent(TenantSuspendedV1)
  onSuspended(@Payload() event: MessageOf<typeof TenantSuspendedV1>): Promise<void> {
    return this.record.execute({ tenantId: event.tenantId, status: 'suspended' });
  }

  @OnEvent(TenantResumedV1)
  onResumed(@Payload() event: MessageOf<typeof TenantResumedV1>): Promise<void> {
    return this.record.execute({ tenantId: event.tenantId, status: 'active' });
  }

  @OnEvent(TenantDeletedV1)
  onDeleted(@Payload() event: MessageOf<typeof TenantDeletedV1>): Promise<void> {
    return this.record.execute({ tenantId: event.tenantId, status: 'deleted' });
  }

  @OnEvent(TenantRestoredV1)
  onRestored(@Payload() event: MessageOf<typeof TenantRestoredV1>): Promise<void> {
    return this.record.execute({ tenantId: event.tenantId, status: event.status });
  }

  @OnEvent(TenantPurgedV1)
  onPurged(@Payload() event: MessageOf<typeof TenantPurgedV1>): Promise<void> {
    return this.record.execute({ tenantId: event.tenantId, status: 'purged' });
  }
}
