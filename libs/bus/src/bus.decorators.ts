import { EventPattern, MessagePattern } from '@nestjs/microservices';
import type { CommandTopic, EventTopic } from '@parley/contracts';

/** Marks a consumer method as the handler of an event topic; the payload is validated first. */
export function OnEvent(topic: EventTopic): MethodDecorator {
  return EventPattern<string>(topic.name, { topic });
}

/** Marks a consumer method as the handler of a command; its return value is the reply. */
export function OnCommand(topic: CommandTopic): MethodDecorator {
  return MessagePattern<string>(topic.name, { topic });
}
