import { z } from 'zod';
import { uuidSchema } from '../topics/common.schema';
import { roleSchema } from './roles';

/**
 * `POST /internal/memberships/role` on auth (service credential required): a member's role as it
 * is now. 200 `{ role }`, or 404 `not_found` when the user is no member of the tenant (removed).
 */
export const MEMBERSHIP_ROLE_PATH = '/internal/memberships/role';
export const membershipRoleQuerySchema = z.strictObject({
  tenantId: uuidSchema,
  userId: z.string().min(1).max(128),
});
export const membershipRoleAnswerSchema = z.object({ role: roleSchema });
export type MembershipRoleQuery = z.infer<typeof membershipRoleQuerySchema>;
