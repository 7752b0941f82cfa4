import { describe, expect, it } from 'vitest';
import { ConfigValidationError, loadConfig } from './load-config';

const env = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  KAFKA_BROKERS: '127.0.0.1:9092',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
};

const problemsOf = (extra: Record<string, string>): string => {
  try {
    loadConfig('billing', { ...env, ...extra });
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.message;
    throw error;
  }
  return '';
};

const enabled = {
  BILLING_ENABLED: 'true',
  STRIPE_SECRET_KEY: 'sk_test_abc123',
  STRIPE_WEBHOOK_SECRET: 'whsec_abcdefgh12',
};

describe('the billing configuration', () => {
  it('is off by default (self-hosted): no Stripe key needed', () => {
    const { billing } = loadConfig('billing', env);
    expect(billing?.enabled).toBe(false);
    expect(billing?.stripe.webhookSecrets).toEqual([]);
  });

  it('needs the secret key and the webhook secret once enabled, naming each', () => {
    const problems = problemsOf({ BILLING_ENABLED: 'true' });
    expect(problems).toContain('STRIPE_SECRET_KEY is required when BILLING_ENABLED is true');
    expect(problems).toContain('STRIPE_WEBHOOK_SECRET is required when BILLING_ENABLED is true');
  });

  it('reads stripe-mock as the API origin, both webhook secrets (rotation) and the prices per plan', () => {
    const { billing } = loadConfig('billing', {
      ...env,
      ...enabled,
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
      STRIPE_WEBHOOK_SECRET_PREVIOUS: 'whsec_previous1234',
      STRIPE_PRICE_ID_PRO: 'price_pro123',
      STRIPE_PRICE_ID_SEAT: 'price_seat123',
    });
    expect(billing?.stripe).toEqual({
      secretKey: 'sk_test_abc123',
      apiBase: { protocol: 'http', host: '127.0.0.1', port: 12111 },
      webhookSecrets: ['whsec_abcdefgh12', 'whsec_previous1234'],
      webhookToleranceSeconds: 300,
    });
    expect(billing?.prices.plans).toEqual({ free: null, pro: 'price_pro123', enterprise: null });
    expect(billing?.prices.seat).toBe('price_seat123');
    expect(billing?.gracePeriodDays).toBe(7);
  });

  it.each([
    ['STRIPE_SECRET_KEY', 'pk_test_abc', 'must be a Stripe secret key'],
    ['STRIPE_WEBHOOK_SECRET', 'secret', 'must be a Stripe webhook signing secret'],
    ['STRIPE_PRICE_ID_PRO', 'prod_123', 'must be a Stripe price id'],
    ['STRIPE_API_BASE', 'ftp://x', 'must be an http(s) origin'],
    ['STRIPE_WEBHOOK_TOLERANCE_SECONDS', '0', 'must be >= 1'],
    ['BILLING_GRACE_PERIOD_DAYS', '91', 'must be <= 90'],
  ])('refuses a bad %s, naming it', (variable, value, message) => {
    expect(problemsOf({ ...enabled, [variable]: value })).toContain(`${variable} ${message}`);
  });
});
