import { z } from 'zod';

/** A member's role in a tenant: what it may do there. */
export const ROLES = ['owner', 'admin', 'member', 'billing'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;
