import type { Request } from 'express';
import type { InternalPrincipalClaims } from '@parley/contracts';

/** The caller of a billing route, from the gateway's signed principal token. */
export interface BillingPrincipal {
  tenantId: string;
  userId: string | null;
  kind: InternalPrincipalClaims['knd'];
  role: InternalPrincipalClaims['role'];
}

export type BillingRequest = Request & { principal?: BillingPrincipal; rawBody?: Buffer };
