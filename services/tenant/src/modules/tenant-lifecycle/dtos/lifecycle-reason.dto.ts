import { IsOptional, IsString, Length } from 'class-validator';

/** Body of resume, restore and delete: an optional reason for the audit trail. */
export class LifecycleReasonDto {
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}
