import { IsOptional, IsString, Length, Matches, MinLength } from 'class-validator';

/** `{ content, model? }`; the content's upper bound (CHAT_MESSAGE_MAX_CHARS) is checked by the command. */
export class SendMessageDto {
  @IsString()
  @MinLength(1)
  content!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(/^[A-Za-z0-9._:/@+-]+$/, { message: 'model must be a model name such as gpt-4.1-mini or claude-sonnet-4-5' })
  model?: string;
}
