import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface PlanLimits {
  chatRequestsPerHour: number;
  tokensPerMonth: number;
  sttMinutesPerMonth: number;
  /** Longest audio of one upload or one live session (seconds). */
  sttMaxAudioSeconds: number;
  members: number;
  apiKeys: number;
}

@Entity({ schema: 'control', name: 'plans' })
export class PlanEntity {
  @PrimaryColumn({ type: 'text' })
  id!: 'free' | 'pro' | 'enterprise';

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'jsonb' })
  limits!: PlanLimits;
}
