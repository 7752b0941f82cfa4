import { IsString, MaxLength } from 'class-validator';

export class RefreshSessionDto {
  @IsString()
  @MaxLength(200)
  refreshToken!: string;
}
