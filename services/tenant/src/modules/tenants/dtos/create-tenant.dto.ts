import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

export class CreateTenantDto {
  @IsString()
  @Length(1, 200)
  name!: string;

  @IsString()
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, { message: 'slug must be a lowercase slug (a-z, 0-9, -)' })
  slug!: string;

  @IsOptional()
  @IsIn(['free', 'pro', 'enterprise'])
  plan?: 'free' | 'pro' | 'enterprise';
}
