import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnEvent } from '@parley/bus';
import { AuditActionRecordedV1, type MessageOf } from '@parley/contracts';
import { AppendAuditEntryUseCase } from './usecases/append-audit-entry/append-audit-entry.usecase';

@Controller()
export class AuditLogConsumer {
  constructor(private readonly append: AppendAuditEntryUseCase) {}

  @OnEvent(AuditActionRecordedV1)
  async onActionRecorded(@Payload() event: MessageOf<typeof AuditActionRecordedV1>): Promise<void> {
    await this.append.execute(event);
  }
}
