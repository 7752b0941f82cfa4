import { Global, Module } from '@nestjs/common';
import { AuditRecorder } from '../audit/audit-recorder';
import { OutboxRelay } from './outbox-relay';
import { OutboxWriter } from './outbox-writer';

/** The transactional outbox of a service that has a database, and the audit recorder that writes to it. */
@Global()
@Module({
  providers: [OutboxWriter, OutboxRelay, AuditRecorder],
  exports: [OutboxWriter, OutboxRelay, AuditRecorder],
})
export class OutboxModule {}
