import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ServiceHealthDto {
  @ApiProperty({ enum: ['up', 'degraded', 'down'], description: '`degraded`: ready, a dependency on its fallback' })
  status!: string;

  @ApiProperty({ example: 3.2 })
  latencyMs!: number;

  @ApiPropertyOptional({ example: 'timeout' })
  error?: string;
}

export class PlatformHealthDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/ServiceHealthDto' },
    description: 'By service: gateway, auth, tenant, billing, chat-orchestrator, stt, analytics',
  })
  services!: Record<string, ServiceHealthDto>;
}
