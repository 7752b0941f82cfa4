import { ApiProperty } from '@nestjs/swagger';

/** The caller's tenant, as the tenant service holds it. */
export class TenantViewDto {
  @ApiProperty({ format: 'uuid' })
  tenantId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  slug!: string;

  @ApiProperty({ enum: ['free', 'pro', 'enterprise'] })
  plan!: string;

  @ApiProperty({ enum: ['self-hosted', 'cloud'] })
  deploymentMode!: string;

  @ApiProperty({ example: 'tenant_0b8f3c2e1a2b4c3d8e4f5a6b7c8d9e0f' })
  schemaName!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ enum: ['provisioning', 'active', 'suspended', 'deleted'] })
  status!: string;

  @ApiProperty({ type: String, nullable: true })
  schemaVersion!: string | null;
}
