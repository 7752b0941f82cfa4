import { z } from 'zod';

/** Break-glass owners named at once, at most. */
export const MAX_BREAK_GLASS_OWNERS = 5;

/**
 * `PUT /api/v1/auth/sso/policy`: "SSO required" refuses password sign-in (and invite acceptance and
 * switching in by password) for everyone but the named break-glass owners, and revokes the other
 * members' sessions at once. API keys are unaffected.
 */
export const ssoPolicyBodySchema = z.strictObject({
  ssoRequired: z.boolean(),
  breakGlassUserIds: z.array(z.uuid()).max(MAX_BREAK_GLASS_OWNERS).default([]),
});
export type SsoPolicyBody = z.input<typeof ssoPolicyBodySchema>;

export const ssoPolicyViewSchema = z.object({
  ssoRequired: z.boolean(),
  breakGlassUserIds: z.array(z.string()),
  updatedAt: z.string().nullable(),
});
export type SsoPolicyView = z.infer<typeof ssoPolicyViewSchema>;
