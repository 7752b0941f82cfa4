import { IsString, Length, MaxLength } from 'class-validator';

export class ConfirmPasswordResetDto {
  @IsString()
  @MaxLength(200)
  token!: string;

  @IsString()
  @Length(10, 256, { message: 'password must be 10 to 256 characters' })
  password!: string;
}
