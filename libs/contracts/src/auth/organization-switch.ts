import { z } from 'zod';
import { slugSchema } from '../topics/common.schema';
import type { Role } from './roles';

/** `POST /api/v1/auth/switch-organization`: a session in another of the caller's organisations. */
export const switchOrganizationBodySchema = z.strictObject({ tenantSlug: slugSchema });
export type SwitchOrganizationBody = z.infer<typeof switchOrganizationBodySchema>;

/** One entry of `GET /api/v1/auth/memberships`: an organisation the caller belongs to. */
export interface MembershipView {
  tenantId: string;
  slug: string;
  name: string;
  plan: string;
  role: Role;
  /** The organisation of the session that asked. */
  current: boolean;
}
