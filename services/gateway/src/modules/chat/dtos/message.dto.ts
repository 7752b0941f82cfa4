import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class MessageErrorDto {
  @ApiProperty({ example: 'provider_unavailable' })
  code!: string;

  @ApiProperty()
  message!: string;
}

export class MessageDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  conversationId!: string;

  @ApiProperty({ enum: ['user', 'assistant'] })
  role!: string;

  @ApiProperty()
  content!: string;

  @ApiProperty({ enum: ['complete', 'streaming', 'stopped', 'failed'] })
  status!: string;

  @ApiProperty({ type: String, nullable: true, example: 'anthropic' })
  provider!: string | null;

  @ApiProperty({ type: String, nullable: true })
  model!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The skill command used, if any' })
  skill!: string | null;

  @ApiProperty({ minimum: 0 })
  promptTokens!: number;

  @ApiProperty({ minimum: 0 })
  completionTokens!: number;

  @ApiProperty({ description: 'True when the provider reported no usage and the tokens were counted locally' })
  usageEstimated!: boolean;

  @ApiProperty({ minimum: 0, description: 'Cost in millionths of a US dollar' })
  costMicros!: number;

  @ApiProperty({ type: MessageErrorDto, nullable: true })
  error!: MessageErrorDto | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt!: string | null;

  @ApiPropertyOptional({
    type: 'object',
    nullable: true,
    description: 'In message lists: the feedback given on this answer, `{ rating: up|down, comment }`, or null',
    properties: { rating: { type: 'string', enum: ['up', 'down'] }, comment: { type: 'string', nullable: true } },
  })
  feedback?: { rating: 'up' | 'down'; comment: string | null } | null;
}

export class MessagePageDto {
  @ApiProperty({ type: [MessageDto], description: 'Newest first' })
  items!: MessageDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class SendMessageDto {
  @ApiProperty({ minLength: 1, description: 'At most CHAT_MESSAGE_MAX_CHARS characters; `/command …` uses a skill' })
  content!: string;

  @ApiPropertyOptional({ description: 'A model of the provider, instead of its default' })
  model?: string;
}

export class SendMessageResultDto {
  @ApiProperty({ type: MessageDto })
  userMessage!: MessageDto;

  @ApiProperty({ type: MessageDto })
  assistantMessage!: MessageDto;
}

export class StopResultDto {
  @ApiProperty({ description: 'Whether an answer was being generated (and is now stopped)' })
  stopped!: boolean;
}
