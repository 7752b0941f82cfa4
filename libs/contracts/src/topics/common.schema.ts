import { z } from 'zod';

export const uuidSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'must be a lowercase UUID');
export const slugSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a lowercase slug (a-z, 0-9, -)');
export const planIdSchema = z.enum(['free', 'pro', 'enterprise']);
export const deploymentModeSchema = z.enum(['self-hosted', 'cloud']);
export const isoDateSchema = z.iso.datetime({ offset: true });
