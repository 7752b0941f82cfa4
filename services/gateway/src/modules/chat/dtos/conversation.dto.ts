import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ConversationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ maxLength: 200 })
  title!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastMessageAt!: string | null;

  @ApiProperty({ minimum: 0 })
  messageCount!: number;
}

export class CreateConversationDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  title?: string;
}

export class UpdateConversationDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  title!: string;
}
