import { Module } from '@nestjs/common';
import { ForwarderModule } from '../forwarding/forwarder.module';
import { AuditLogConsumer } from './audit-log.consumer';
import { AuditLogController } from './audit-log.controller';
import { AuditLogRepository } from './audit-log.repository';
import { AuditRetentionJob } from './audit-retention.job';
import { AppendAuditEntryUseCase } from './usecases/append-audit-entry/append-audit-entry.usecase';
import { ExportAuditLogUseCase } from './usecases/export-audit-log/export-audit-log.usecase';
import { ListAuditLogUseCase } from './usecases/list-audit-log/list-audit-log.usecase';
import { PruneAuditLogUseCase } from './usecases/prune-audit-log/prune-audit-log.usecase';
import { VerifyAuditLogUseCase } from './usecases/verify-audit-log/verify-audit-log.usecase';

/** The tenant's append-only, hash-chained audit log: fed from Kafka, read and exported by admins, verified, pruned. */
@Module({
  imports: [ForwarderModule],
  controllers: [AuditLogConsumer, AuditLogController],
  providers: [
    AuditLogRepository,
    AppendAuditEntryUseCase,
    ListAuditLogUseCase,
    ExportAuditLogUseCase,
    VerifyAuditLogUseCase,
    PruneAuditLogUseCase,
    AuditRetentionJob,
  ],
  exports: [VerifyAuditLogUseCase, AuditRetentionJob, AuditLogRepository],
})
export class AuditLogModule {}
