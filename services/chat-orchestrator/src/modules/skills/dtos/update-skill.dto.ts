import { IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { SKILL_COMMAND_PATTERN } from '../skill-command';
import type { SkillVisibility } from '../skill';

const present = (_: object, value: unknown) => value !== undefined;

/** Any field of a skill; `description` and `model` may be null to clear them, the others may not. */
export class UpdateSkillDto {
  @ValidateIf(present)
  @IsString()
  @Length(1, 100)
  name?: string;

  @ValidateIf(present)
  @IsString()
  @Matches(SKILL_COMMAND_PATTERN, { message: 'command must be / followed by 1 to 32 of a-z, 0-9 and -' })
  command?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ValidateIf(present)
  @IsString()
  @Length(1, 20_000)
  systemPrompt?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  model?: string | null;

  @ValidateIf(present)
  @IsIn(['private', 'tenant'])
  visibility?: SkillVisibility;
}
