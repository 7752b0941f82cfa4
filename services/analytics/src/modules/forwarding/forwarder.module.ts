import { Module } from '@nestjs/common';
import { ConsentRepository } from './consent.repository';
import { Forwarder } from './forwarder';
import { analyticsSinkProvider } from './sinks/sink.provider';

/**
 * The forwarder alone (consent, the configured sink, the bounded queue), for every module that
 * offers product events: the event store, the tenant and auth events, the audit log's membership
 * changes. The consent routes live in ForwardingModule, which audits their changes.
 */
@Module({
  providers: [ConsentRepository, Forwarder, analyticsSinkProvider],
  exports: [ConsentRepository, Forwarder],
})
export class ForwarderModule {}
