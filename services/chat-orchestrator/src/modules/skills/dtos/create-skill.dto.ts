import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { SKILL_COMMAND_PATTERN } from '../skill-command';
import type { SkillVisibility } from '../skill';

export class CreateSkillDto {
  @IsString()
  @Length(1, 100)
  name!: string;

  @IsString()
  @Matches(SKILL_COMMAND_PATTERN, { message: 'command must be / followed by 1 to 32 of a-z, 0-9 and -' })
  command!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @IsString()
  @Length(1, 20_000)
  systemPrompt!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  model?: string | null;

  @IsIn(['private', 'tenant'])
  visibility!: SkillVisibility;
}
