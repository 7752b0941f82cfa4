import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class AcceptInviteDto {
  @IsString()
  @MaxLength(200)
  token!: string;

  /** Needed when the invited email has no account yet. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @IsString()
  @Length(1, 256)
  password!: string;
}
