import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { PlanId, PlanLimitsConfig, PlansConfig } from '@parley/config';
import { DATA_SOURCE } from '@parley/tenancy';

export interface PlanView {
  id: PlanId;
  name: string;
  limits: PlanLimitsConfig;
}

export const PLAN_IDS: readonly PlanId[] = ['free', 'pro', 'enterprise'];
const PLAN_NAMES: Readonly<Record<PlanId, string>> = { free: 'Free', pro: 'Pro', enterprise: 'Enterprise' };

/** `control.plans`: the one place every service reads plan limits from. */
@Injectable()
export class PlansRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Writes the configured limits; rows already equal are left alone. Returns the plans that changed. */
  async upsert(plans: PlansConfig): Promise<PlanId[]> {
    const values = PLAN_IDS.flatMap((id) => [id, PLAN_NAMES[id], JSON.stringify(plans[id])]);
    const rows = await this.dataSource.query<{ id: PlanId }[]>(
      `INSERT INTO control.plans (id, name, limits)
       VALUES ($1, $2, $3::jsonb), ($4, $5, $6::jsonb), ($7, $8, $9::jsonb)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, limits = EXCLUDED.limits
       WHERE control.plans.limits IS DISTINCT FROM EXCLUDED.limits OR control.plans.name IS DISTINCT FROM EXCLUDED.name
       RETURNING id`,
      values,
    );
    return rows.map((row) => row.id);
  }

  async list(): Promise<PlanView[]> {
    const rows = await this.dataSource.query<PlanView[]>(
      `SELECT id, name, limits FROM control.plans WHERE id = ANY($1)`,
      [PLAN_IDS],
    );
    return rows.sort((a, b) => PLAN_IDS.indexOf(a.id) - PLAN_IDS.indexOf(b.id));
  }
}
