import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

export class SignInDto {
  @IsString()
  @MaxLength(254)
  email!: string;

  @IsString()
  @Length(1, 256)
  password!: string;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, { message: 'tenantSlug must be a lowercase slug' })
  tenantSlug?: string;
}
