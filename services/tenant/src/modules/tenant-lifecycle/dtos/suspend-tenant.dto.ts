import { IsString, Length } from 'class-validator';

export class SuspendTenantDto {
  @IsString()
  @Length(1, 500)
  reason!: string;
}
