import { Global, Module } from '@nestjs/common';
import { OutboxRelay } from './outbox-relay';
import { OutboxWriter } from './outbox-writer';

/** The transactional outbox of a service that has a database. */
@Global()
@Module({ providers: [OutboxWriter, OutboxRelay], exports: [OutboxWriter, OutboxRelay] })
export class OutboxModule {}
