import { Global, Module } from '@nestjs/common';
import Stripe from 'stripe';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { STRIPE } from './stripe.tokens';

/** Stripe's API version this code reads objects in (the SDK 23.1.0 default, pinned so a dashboard change cannot move it). */
export const STRIPE_API_VERSION = Stripe.API_VERSION;

/**
 * The one Stripe client of the service (the official SDK): the configured key and API origin
 * (stripe-mock in tests), 10 s per call, 2 network retries (the SDK adds an idempotency key to
 * retried POSTs). Built only when billing is on.
 */
@Global()
@Module({
  providers: [
    {
      provide: STRIPE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Stripe | null => {
        const billing = config.billing;
        if (!billing?.enabled) return null;
        return new Stripe(billing.stripe.secretKey, {
          apiVersion: STRIPE_API_VERSION,
          timeout: 10_000,
          maxNetworkRetries: 2,
          telemetry: false,
          ...(billing.stripe.apiBase ?? {}),
        });
      },
    },
  ],
  exports: [STRIPE],
})
export class StripeModule {}
