import type { AppConfig } from '@parley/config';

/** What the gateway checks access tokens against. */
export interface JwtSettings {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Seconds of clock skew allowed on exp and nbf. */
  clockToleranceSeconds: number;
}

/** Issuer and audience from JWT_ISSUER / JWT_AUDIENCE (shared with the auth service), keys from its JWKS. */
export function jwtSettings(config: AppConfig): JwtSettings {
  if (!config.gateway || !config.jwt) throw new Error(`Service "${config.service}" has no gateway/JWT configuration`);
  return {
    jwksUrl: config.gateway.authJwksUrl,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    clockToleranceSeconds: 5,
  };
}
