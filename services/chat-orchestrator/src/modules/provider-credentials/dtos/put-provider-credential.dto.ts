import { IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';

const present = (_: object, value: unknown) => value !== undefined;

/** `{ apiKey?, baseUrl?, model, priority? }`; validation messages never echo the key. */
export class PutProviderCredentialDto {
  @ValidateIf(present)
  @IsString()
  @Length(1, 4096)
  apiKey?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(/^https?:\/\/\S+$/, { message: 'baseUrl must be an http(s) URL' })
  baseUrl?: string | null;

  @IsString()
  @Length(1, 200)
  model!: string;

  @ValidateIf(present)
  @IsInt()
  @Min(0)
  @Max(100)
  priority?: number;
}
