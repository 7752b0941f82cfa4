import { z } from 'zod';
import type { PlanId } from './app-config';
import { bool, int } from './env-fields';

const optionalHttpUrl = z
  .string()
  .optional()
  .refine((value) => value === undefined || /^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(value), 'must be an http(s) origin');
const priceId = z
  .string()
  .regex(/^price_[A-Za-z0-9]{1,200}$/, 'must be a Stripe price id (price_…)')
  .optional();
const webhookSecret = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/=_-]{8,200}$/, 'must be a Stripe webhook signing secret (whsec_…)')
  .optional();
const meterEventName = (fallback: string) =>
  z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,99}$/, 'must be a Stripe meter event name (a-z, 0-9, _)')
    .default(fallback);

/** Variables only the billing service reads. */
export const billingShape = {
  /** Off (self-hosted): every billing route answers 404 billing_disabled; plan quotas still apply. */
  BILLING_ENABLED: bool(false),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{1,250}$/, 'must be a Stripe secret key (sk_test_…, sk_live_…)')
    .optional(),
  /** Another Stripe API origin (stripe-mock in tests: http://127.0.0.1:12111). Default: api.stripe.com. */
  STRIPE_API_BASE: optionalHttpUrl,
  /** The webhook endpoint's signing secret, and the previous one while a rotation is under way. */
  STRIPE_WEBHOOK_SECRET: webhookSecret,
  STRIPE_WEBHOOK_SECRET_PREVIOUS: webhookSecret,
  STRIPE_WEBHOOK_TOLERANCE_SECONDS: int(300, 1, 3600),
  /** Flat price of each plan (per subscription), the per-seat price, and the metered prices. */
  STRIPE_PRICE_ID_FREE: priceId,
  STRIPE_PRICE_ID_PRO: priceId,
  STRIPE_PRICE_ID_ENTERPRISE: priceId,
  STRIPE_PRICE_ID_SEAT: priceId,
  STRIPE_PRICE_ID_TOKENS: priceId,
  STRIPE_PRICE_ID_AUDIO_SECONDS: priceId,
  /** The `event_name` of the Stripe Billing meters that the metered prices use. */
  STRIPE_METER_EVENT_TOKENS: meterEventName('parley_tokens'),
  STRIPE_METER_EVENT_AUDIO_SECONDS: meterEventName('parley_audio_seconds'),
  /** Where Checkout and the Portal send people back (the web app's billing page). */
  BILLING_RETURN_URL: z
    .string()
    .default('http://localhost:8000/settings/billing')
    .refine((value) => /^https?:\/\/[^\s]+$/.test(value), 'must be an http(s) URL'),
  BILLING_TRIAL_DAYS: int(14, 0, 730),
  BILLING_AUTOMATIC_TAX: bool(false),
  /** Meter events: ledger rows sent per pass, pause between passes, attempts before a row waits for the reconciler. */
  BILLING_METER_BATCH_SIZE: int(100, 1, 1000),
  BILLING_METER_INTERVAL_MS: int(1000, 10, 3_600_000),
  BILLING_METER_MAX_ATTEMPTS: int(8, 1, 100),
  BILLING_METER_RETRY_BASE_MS: int(500, 1, 3_600_000),
  /** A batch claimed by a reporter is its own this long; a crashed reporter's rows come back after it. */
  BILLING_METER_LEASE_MS: int(60_000, 1000, 3_600_000),
  /** The reconciler's period (rows stuck unreported are retried, totals compared); 0 turns it off. */
  BILLING_RECONCILE_INTERVAL_MS: int(300_000, 0, 86_400_000),
  /** Seat sync to Stripe: member changes within this window make one subscription update (the debounce). */
  BILLING_SEAT_SYNC_INTERVAL_MS: int(10_000, 100, 3_600_000),
  /** Days of grace after a failed payment before the tenant turns read-only. */
  BILLING_GRACE_PERIOD_DAYS: int(7, 0, 90),
};

export interface BillingConfig {
  enabled: boolean;
  stripe: {
    secretKey: string;
    /** null: Stripe's own API. */
    apiBase: { protocol: 'http' | 'https'; host: string; port: number } | null;
    webhookSecrets: string[];
    webhookToleranceSeconds: number;
  };
  prices: {
    plans: Readonly<Record<PlanId, string | null>>;
    seat: string | null;
    tokens: string | null;
    audioSeconds: string | null;
  };
  meters: { tokens: string; audioSeconds: string };
  returnUrl: string;
  trialDays: number;
  automaticTax: boolean;
  meterBatchSize: number;
  meterIntervalMs: number;
  meterMaxAttempts: number;
  meterRetryBaseMs: number;
  meterLeaseMs: number;
  reconcileIntervalMs: number;
  seatSyncIntervalMs: number;
  gracePeriodDays: number;
}

/** Enabled billing needs a secret key and a webhook secret; stated with the variable's name. */
export function refineBilling(env: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (env.BILLING_ENABLED !== true) return;
  for (const key of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const) {
    if (env[key] === undefined) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'is required when BILLING_ENABLED is true' });
    }
  }
}

export function toBillingConfig(e: Record<string, unknown>): BillingConfig {
  const str = (key: string) => e[key] as string;
  const optional = (key: string) => (e[key] as string | undefined) ?? null;
  const num = (key: string) => e[key] as number;
  const base = optional('STRIPE_API_BASE');
  let apiBase: BillingConfig['stripe']['apiBase'] = null;
  if (base) {
    const url = new URL(base);
    const protocol = url.protocol === 'http:' ? 'http' : 'https';
    apiBase = { protocol, host: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)) };
  }
  return {
    enabled: e.BILLING_ENABLED === true,
    stripe: {
      // Unset only while billing is off (validated): the client is then never built.
      secretKey: optional('STRIPE_SECRET_KEY') ?? '',
      apiBase,
      webhookSecrets: [optional('STRIPE_WEBHOOK_SECRET'), optional('STRIPE_WEBHOOK_SECRET_PREVIOUS')].filter(
        (s): s is string => s !== null,
      ),
      webhookToleranceSeconds: num('STRIPE_WEBHOOK_TOLERANCE_SECONDS'),
    },
    prices: {
      plans: {
        free: optional('STRIPE_PRICE_ID_FREE'),
        pro: optional('STRIPE_PRICE_ID_PRO'),
        enterprise: optional('STRIPE_PRICE_ID_ENTERPRISE'),
      },
      seat: optional('STRIPE_PRICE_ID_SEAT'),
      tokens: optional('STRIPE_PRICE_ID_TOKENS'),
      audioSeconds: optional('STRIPE_PRICE_ID_AUDIO_SECONDS'),
    },
    meters: { tokens: str('STRIPE_METER_EVENT_TOKENS'), audioSeconds: str('STRIPE_METER_EVENT_AUDIO_SECONDS') },
    returnUrl: str('BILLING_RETURN_URL'),
    trialDays: num('BILLING_TRIAL_DAYS'),
    automaticTax: e.BILLING_AUTOMATIC_TAX === true,
    meterBatchSize: num('BILLING_METER_BATCH_SIZE'),
    meterIntervalMs: num('BILLING_METER_INTERVAL_MS'),
    meterMaxAttempts: num('BILLING_METER_MAX_ATTEMPTS'),
    meterRetryBaseMs: num('BILLING_METER_RETRY_BASE_MS'),
    meterLeaseMs: num('BILLING_METER_LEASE_MS'),
    reconcileIntervalMs: num('BILLING_RECONCILE_INTERVAL_MS'),
    seatSyncIntervalMs: num('BILLING_SEAT_SYNC_INTERVAL_MS'),
    gracePeriodDays: num('BILLING_GRACE_PERIOD_DAYS'),
  };
}
