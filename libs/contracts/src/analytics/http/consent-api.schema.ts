import { z } from 'zod';

/** Whether the tenant's product analytics leave Parley (to PostHog or Mixpanel). */
export const analyticsConsentSchema = z.object({
  enabled: z.boolean(),
  /** `tenant` when the tenant chose; `default` when it never did (on in the cloud, off self-hosted). */
  source: z.enum(['tenant', 'default']),
  /** The provider the deployment forwards to (`none`: nothing leaves, whatever the consent). */
  provider: z.enum(['none', 'posthog', 'mixpanel']),
});
export type AnalyticsConsent = z.infer<typeof analyticsConsentSchema>;

export const putAnalyticsConsentBodySchema = z.strictObject({ enabled: z.boolean() });
