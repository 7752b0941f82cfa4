import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type TenantStatus = 'provisioning' | 'active' | 'suspended' | 'deleted';

@Entity({ schema: 'control', name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text', unique: true })
  slug!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'plan_id', type: 'text' })
  planId!: string;

  @Column({ name: 'deployment_mode', type: 'text' })
  deploymentMode!: 'self-hosted' | 'cloud';

  @Column({ name: 'schema_name', type: 'text', unique: true })
  schemaName!: string;

  @Column({ type: 'text', default: 'active' })
  status!: TenantStatus;

  @Column({ name: 'schema_version', type: 'text', nullable: true })
  schemaVersion!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
