import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PLANS, PRINCIPAL_KINDS, ROLES, type PrincipalKind } from '../../auth/principal';

/** The caller as the gateway verified it. */
export class PrincipalDto {
  @ApiProperty({
    enum: PRINCIPAL_KINDS,
    description: '`anonymous`: self-hosted without credentials; `api-key`: a `pk_…` key (no user)',
  })
  kind!: PrincipalKind;

  @ApiProperty({ format: 'uuid' })
  tenantId!: string;

  @ApiProperty({ type: String, nullable: true, description: 'null for an API key' })
  userId!: string | null;

  @ApiProperty({ enum: ROLES, description: 'An API key acts as `member`' })
  role!: string;

  @ApiProperty({ enum: PLANS })
  plan!: string;

  @ApiProperty({ type: String, nullable: true })
  sessionId!: string | null;

  @ApiPropertyOptional({ description: 'API keys only' })
  apiKeyId?: string;

  @ApiPropertyOptional({ type: [String], description: 'API keys only' })
  scopes?: string[];
}
