export { BusModule, connectBus, KAFKA, type BusModuleOptions } from './bus.module';
export { BusProducer, type EmitOptions, type PreparedMessage } from './bus-producer';
export { OutboxWriter, outboxEntry, type OutboxEntry, type OutboxTransaction } from './outbox/outbox-writer';
export { OutboxRelay } from './outbox/outbox-relay';
export {
  AuditRecorder,
  auditActorOf,
  originOfContext,
  type AuditActor,
  type AuditFact,
  type AuditOrigin,
} from './audit/audit-recorder';
export { OutboxModule } from './outbox/outbox.module';
export { BusRequester } from './bus-requester';
export { BusContext } from './bus-context';
export { KafkaBusServer } from './kafka-bus.server';
export { OnCommand, OnEvent } from './bus.decorators';
export { TopicNamer } from './topic-namer';
export { TopicAdmin } from './topic-admin';
export { InboxStore } from './inbox-store';
export { createKafkaClient } from './kafka-client.factory';
export { decodeHeaders, encodeHeaders, type DecodedHeaders } from './headers';
export { PlatformModule, createServiceApp, type PlatformOptions } from './platform.module';
