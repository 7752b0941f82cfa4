import { IsIn, IsOptional, IsString } from 'class-validator';

/** `?from=YYYY-MM-DD&to=YYYY-MM-DD&by=user` (dates checked by the query: real days, range). */
export class StatsQueryDto {
  @IsOptional()
  @IsString()
  from?: string;

  @IsOptional()
  @IsString()
  to?: string;

  @IsOptional()
  @IsIn(['user'])
  by?: 'user';
}
