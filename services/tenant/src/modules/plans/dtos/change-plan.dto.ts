import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export class ChangePlanDto {
  @IsIn(['free', 'pro', 'enterprise'])
  plan!: 'free' | 'pro' | 'enterprise';

  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}
