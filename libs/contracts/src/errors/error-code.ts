/** Machine-readable error codes. Clients switch on these; never change a published value. */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  MalformedJson = 'malformed_json',
  PayloadTooLarge = 'payload_too_large',
  NotFound = 'not_found',
  RouteNotFound = 'route_not_found',
  Conflict = 'conflict',
  TenantContextMissing = 'tenant_context_missing',
  TenantNotFound = 'tenant_not_found',
  TenantSlugTaken = 'tenant_slug_taken',
  TenantLimitReached = 'tenant_limit_reached',
  InvalidTenantId = 'invalid_tenant_id',
  EmailTaken = 'email_taken',
  InvalidCredentials = 'invalid_credentials',
  AuthenticationRequired = 'authentication_required',
  InvalidAccessToken = 'invalid_access_token',
  AccessTokenExpired = 'access_token_expired',
  InvalidRefreshToken = 'invalid_refresh_token',
  RefreshTokenExpired = 'refresh_token_expired',
  RefreshTokenReused = 'refresh_token_reused',
  SessionRevoked = 'session_revoked',
  BusRequestTimeout = 'bus_request_timeout',
  BusUnavailable = 'bus_unavailable',
  ServiceUnavailable = 'service_unavailable',
  Internal = 'internal_error',
}

/** The HTTP status each code maps to at the edge. */
export const ERROR_HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.MalformedJson]: 400,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.RouteNotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.TenantContextMissing]: 500,
  [ErrorCode.TenantNotFound]: 404,
  [ErrorCode.TenantSlugTaken]: 409,
  [ErrorCode.TenantLimitReached]: 409,
  [ErrorCode.InvalidTenantId]: 400,
  [ErrorCode.EmailTaken]: 409,
  [ErrorCode.InvalidCredentials]: 401,
  [ErrorCode.AuthenticationRequired]: 401,
  [ErrorCode.InvalidAccessToken]: 401,
  [ErrorCode.AccessTokenExpired]: 401,
  [ErrorCode.InvalidRefreshToken]: 401,
  [ErrorCode.RefreshTokenExpired]: 401,
  [ErrorCode.RefreshTokenReused]: 401,
  [ErrorCode.SessionRevoked]: 401,
  [ErrorCode.BusRequestTimeout]: 504,
  [ErrorCode.BusUnavailable]: 503,
  [ErrorCode.ServiceUnavailable]: 503,
  [ErrorCode.Internal]: 500,
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (Object.values(ErrorCode) as string[]).includes(value);
}
