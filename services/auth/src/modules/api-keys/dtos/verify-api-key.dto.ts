import { IsString, MaxLength } from 'class-validator';

export class VerifyApiKeyDto {
  @IsString()
  @MaxLength(200)
  key!: string;
}
