/**
 * Headers the gateway sets on an HTTP call to an internal service, from the principal it verified.
 * Internal services trust them only because nothing but the gateway can reach them (Kubernetes
 * NetworkPolicy, loopback locally); the gateway always overwrites them, never copies a client's.
 */
export const InternalHeader = {
  RequestId: 'x-request-id',
  Traceparent: 'traceparent',
  TenantId: 'x-tenant-id',
  /** Absent for an API key. */
  UserId: 'x-user-id',
  Role: 'x-principal-role',
  Kind: 'x-principal-kind',
  Plan: 'x-principal-plan',
  /** `api-key` principals only. */
  ApiKeyId: 'x-api-key-id',
  /** `api-key` principals only: comma-separated. */
  Scopes: 'x-api-key-scopes',
} as const;
