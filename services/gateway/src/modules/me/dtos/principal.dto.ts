import { ApiProperty } from '@nestjs/swagger';
import { PLANS, ROLES } from '../../auth/principal';

/** The caller as the gateway verified it. */
export class PrincipalDto {
  @ApiProperty({ enum: ['user', 'anonymous'], description: '`anonymous`: self-hosted without credentials' })
  kind!: 'user' | 'anonymous';

  @ApiProperty({ format: 'uuid' })
  tenantId!: string;

  @ApiProperty()
  userId!: string;

  @ApiProperty({ enum: ROLES })
  role!: string;

  @ApiProperty({ enum: PLANS })
  plan!: string;

  @ApiProperty({ type: String, nullable: true })
  sessionId!: string | null;
}
