export { ErrorCode, ERROR_HTTP_STATUS, isErrorCode } from './errors/error-code';
export { DomainException, type ErrorBody } from './errors/domain.exception';
export { BusHeader, type BusHeaderName } from './bus/headers';
export {
  TOPIC_NAME_PATTERN,
  defineCommand,
  defineEvent,
  type CommandTopic,
  type EventTopic,
  type MessageOf,
  type ReplyOf,
  type TopicDefinition,
} from './bus/topic-definition';
export { replyEnvelopeSchema, replyTopicName, type ReplyEnvelope } from './bus/reply-envelope';
export { uuidSchema, slugSchema, planIdSchema, deploymentModeSchema } from './topics/common.schema';
export { TenantCreatedV1, tenantCreatedV1Schema } from './topics/tenant-created/tenant-created.topic';
export { TenantCreateV1, createTenantV1Schema } from './topics/tenant-create/tenant-create.topic';
export { DEAD_LETTER_TOPIC } from './topics/dead-letter/dead-letter.topic';
export { ALL_TOPICS } from './topics/registry';
