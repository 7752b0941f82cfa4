import { SetMetadata } from '@nestjs/common';

export const STRIPE_WEBHOOK_ROUTE = 'parley:stripe-webhook-route';

/** The Stripe webhook: authenticated by its signature, not by a principal token. */
export const StripeWebhookRoute = () => SetMetadata(STRIPE_WEBHOOK_ROUTE, true);
