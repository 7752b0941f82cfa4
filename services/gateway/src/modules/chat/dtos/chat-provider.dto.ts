import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const PROVIDER_KINDS = ['anthropic', 'openai'] as const;

export class ChatProviderDto {
  @ApiProperty({ enum: PROVIDER_KINDS })
  kind!: string;

  @ApiProperty({ type: String, nullable: true, description: 'null: the provider default' })
  baseUrl!: string | null;

  @ApiProperty()
  model!: string;

  @ApiProperty({ type: String, nullable: true, example: '…wxyz', description: 'The key is never returned' })
  keyHint!: string | null;

  @ApiProperty({ description: 'Lower is tried first' })
  priority!: number;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class ChatProviderListDto {
  @ApiProperty({ type: [ChatProviderDto] })
  items!: ChatProviderDto[];
}

export class PutChatProviderDto {
  @ApiPropertyOptional({ description: 'Stored encrypted; omit to keep the current key' })
  apiKey?: string;

  @ApiPropertyOptional({ description: 'An OpenAI-compatible server, or the provider default when omitted' })
  baseUrl?: string;

  @ApiProperty()
  model!: string;

  @ApiPropertyOptional()
  priority?: number;
}
