import { ApiPropertyOptional } from '@nestjs/swagger';

export class CreateConversationDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  title?: string;
}
