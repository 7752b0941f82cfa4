import type { BillingConfig } from '@parley/config';

/** The configured return URL, or a path of the app on the same origin (paths are validated by the contract). */
export function returnUrl(billing: BillingConfig, path: string | undefined): string {
  return path ? new URL(path, billing.returnUrl).toString() : billing.returnUrl;
}
