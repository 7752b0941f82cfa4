import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';

export class SignUpDto {
  @IsString()
  @Length(1, 200)
  organizationName!: string;

  @IsString()
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
    message: 'organizationSlug must be a lowercase slug (a-z, 0-9, -)',
  })
  organizationSlug!: string;

  @IsString()
  @MaxLength(254)
  @IsEmail({ allow_utf8_local_part: true }, { message: 'email must be an email address' })
  email!: string;

  @IsString()
  @Length(10, 256, { message: 'password must be 10 to 256 characters' })
  password!: string;

  @IsString()
  @Length(1, 200)
  name!: string;
}
