import { PlanEntity } from './plan.entity';
import { TenantEntity } from './tenant.entity';

export const CONTROL_ENTITIES: Function[] = [TenantEntity, PlanEntity];
