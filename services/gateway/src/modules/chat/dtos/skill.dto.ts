import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const COMMAND = { pattern: '^/[a-z0-9-]{1,32}$', example: '/review' } as const;
const TEMPLATE = 'System prompt template; may use {{input}}, {{tenant.name}} and {{date}}';

export class SkillDto {
  @ApiProperty({ description: 'A UUID, or `builtin:<name>` for a built-in skill', example: 'builtin:doc' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty(COMMAND)
  command!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ description: TEMPLATE })
  systemPrompt!: string;

  @ApiProperty({ type: String, nullable: true })
  model!: string | null;

  @ApiProperty({ enum: ['builtin', 'tenant', 'private'] })
  visibility!: string;

  @ApiProperty({ description: 'Whether the caller may change or delete it' })
  editable!: boolean;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'null for built-in skills' })
  createdAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  updatedAt!: string | null;
}

export class SkillListDto {
  @ApiProperty({ type: [SkillDto], description: "Built-in skills, the tenant's, and the caller's private ones" })
  items!: SkillDto[];
}

export class CreateSkillDto {
  @ApiProperty({ minLength: 1 })
  name!: string;

  @ApiProperty(COMMAND)
  command!: string;

  @ApiPropertyOptional()
  description?: string;

  @ApiProperty({ description: TEMPLATE })
  systemPrompt!: string;

  @ApiPropertyOptional()
  model?: string;

  @ApiProperty({ enum: ['private', 'tenant'], description: '`tenant` skills: owners and admins only' })
  visibility!: string;
}

export class UpdateSkillDto {
  @ApiPropertyOptional({ minLength: 1 })
  name?: string;

  @ApiPropertyOptional(COMMAND)
  command?: string;

  @ApiPropertyOptional()
  description?: string;

  @ApiPropertyOptional({ description: TEMPLATE })
  systemPrompt?: string;

  @ApiPropertyOptional()
  model?: string;

  @ApiPropertyOptional({ enum: ['private', 'tenant'] })
  visibility?: string;
}
