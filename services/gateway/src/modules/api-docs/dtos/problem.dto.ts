import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '@parley/contracts';

export class ProblemDetailDto {
  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode', example: ErrorCode.InvalidAccessToken })
  code!: ErrorCode;

  @ApiProperty({ example: 'Access token is invalid' })
  message!: string;

  @ApiProperty({ example: '0f6a1c2e-4b7d-4e8f-9a0b-1c2d3e4f5a6b', description: 'Echoed in the x-request-id header' })
  requestId!: string;

  @ApiPropertyOptional({ description: 'Only on 500: the id under which the error was logged' })
  errorId?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  details?: Record<string, unknown>;
}

/** Every error of the API: `{ "error": { code, message, requestId } }`. */
export class ProblemDto {
  @ApiProperty({ type: ProblemDetailDto })
  error!: ProblemDetailDto;
}
