import Stripe from 'stripe';
import { DomainException, ErrorCode } from '@parley/contracts';

/**
 * A Stripe failure as a domain error: Stripe unreachable, rate-limited or failing is 503
 * `payment_provider_unavailable` (retryable); a request Stripe refuses is 502
 * `payment_provider_rejected` with Stripe's code. Anything else is rethrown as it is.
 */
export function stripeFailure(error: unknown): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const status = error.statusCode ?? 0;
  if (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    status >= 500 ||
    status === 0
  ) {
    return new DomainException(ErrorCode.PaymentProviderUnavailable, 'Stripe is unavailable; try again shortly');
  }
  return new DomainException(ErrorCode.PaymentProviderRejected, `Stripe refused the request: ${error.message}`, {
    stripeCode: error.code ?? null,
  });
}

/** Runs one Stripe call, mapping its failure (see stripeFailure). */
export async function callStripe<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw stripeFailure(error);
  }
}
