import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ChatStatsDayDto {
  @ApiProperty({ format: 'date', example: '2025-01-31' })
  date!: string;

  @ApiProperty()
  conversations!: number;

  @ApiProperty()
  messages!: number;

  @ApiProperty()
  promptTokens!: number;

  @ApiProperty()
  completionTokens!: number;

  @ApiProperty({ description: 'Millionths of a US dollar' })
  costMicros!: number;
}

export class ChatStatsUserDto {
  @ApiProperty({ enum: ['user', 'anonymous', 'api-key'] })
  kind!: string;

  @ApiProperty({ format: 'uuid', description: 'The user id (the key id for an API key)' })
  userId!: string;

  @ApiProperty()
  conversations!: number;

  @ApiProperty()
  messages!: number;

  @ApiProperty()
  promptTokens!: number;

  @ApiProperty()
  completionTokens!: number;

  @ApiProperty()
  costMicros!: number;
}

export class ChatStatsDto {
  @ApiProperty({ format: 'date' })
  from!: string;

  @ApiProperty({ format: 'date' })
  to!: string;

  @ApiProperty({ type: [ChatStatsDayDto], description: 'Every day of the range, oldest first' })
  days!: ChatStatsDayDto[];

  @ApiPropertyOptional({ type: [ChatStatsUserDto], description: 'Only with ?by=user (owners and admins)' })
  users?: ChatStatsUserDto[];
}

export class ChatQuotaDto {
  @ApiProperty({ enum: ['free', 'pro', 'enterprise'] })
  plan!: string;

  @ApiProperty()
  tokensPerMonth!: number;

  @ApiProperty()
  tokensUsed!: number;

  @ApiProperty({ format: 'date-time' })
  resetAt!: string;

  @ApiProperty()
  chatRequestsPerHour!: number;
}
