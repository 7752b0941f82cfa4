/**
 * Correlation headers the gateway sets on an HTTP call to an internal service. Who is calling
 * travels only as the signed principal token (`INTERNAL_PRINCIPAL_HEADER`); no service trusts a
 * tenant, user or role header.
 */
export const InternalHeader = {
  RequestId: 'x-request-id',
  Traceparent: 'traceparent',
} as const;
