import type { z } from 'zod';

/** Topic names follow `<domain>.<event>.v<version>`. */
export const TOPIC_NAME_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+\.v[1-9][0-9]*$/;

export interface EventTopic<Name extends string = string, Value extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly name: Name;
  readonly schema: Value;
  /** Ordering key, usually the tenant id or `tenantId:conversationId`. */
  readonly key: (message: z.infer<Value>) => string;
}

export interface CommandTopic<
  Name extends string = string,
  Request extends z.ZodType = z.ZodType,
  Reply extends z.ZodType = z.ZodType,
> {
  readonly kind: 'command';
  readonly name: Name;
  readonly schema: Request;
  readonly replySchema: Reply;
  readonly key: (message: z.infer<Request>) => string;
}

export type TopicDefinition = EventTopic | CommandTopic;
export type MessageOf<T extends TopicDefinition> = z.infer<T['schema']>;
export type ReplyOf<T extends CommandTopic> = z.infer<T['replySchema']>;

function assertTopicName(name: string): void {
  if (!TOPIC_NAME_PATTERN.test(name)) {
    throw new Error(`Topic name "${name}" does not follow <domain>.<event>.v<version>`);
  }
}

export function defineEvent<Name extends string, Value extends z.ZodType>(definition: {
  name: Name;
  schema: Value;
  key: (message: z.infer<Value>) => string;
}): EventTopic<Name, Value> {
  assertTopicName(definition.name);
  return { kind: 'event', ...definition };
}

export function defineCommand<Name extends string, Request extends z.ZodType, Reply extends z.ZodType>(definition: {
  name: Name;
  schema: Request;
  replySchema: Reply;
  key: (message: z.infer<Request>) => string;
}): CommandTopic<Name, Request, Reply> {
  assertTopicName(definition.name);
  return { kind: 'command', ...definition };
}
