import { resolve } from 'node:path';
import { z } from 'zod';
import { bool, int } from './env-fields';

const httpUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((value) => /^https?:\/\/[^\s]+$/.test(value), 'must be an http(s) URL');

/** Variables only the gateway reads. */
export const gatewayShape = {
  AUTH_REQUIRED: bool(true),
  AUTH_JWKS_URL: httpUrl('http://127.0.0.1:8001/.well-known/jwks.json'),
  AUTH_SERVICE_URL: httpUrl('http://127.0.0.1:8001'),
  TENANT_SERVICE_URL: httpUrl('http://127.0.0.1:8002'),
  BILLING_SERVICE_URL: httpUrl('http://127.0.0.1:8003'),
  CHAT_SERVICE_URL: httpUrl('http://127.0.0.1:8004'),
  STT_SERVICE_URL: httpUrl('http://127.0.0.1:8005'),
  ANALYTICS_SERVICE_URL: httpUrl('http://127.0.0.1:8006'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .refine(
      (value) => value.split(',').every((o) => o.trim() === '' || /^https?:\/\/[^\s/]+$/.test(o.trim())),
      'must be a comma-separated list of origins like https://app.example.com',
    ),
  TRUST_PROXY_HOPS: int(0, 0, 10),
  RATE_LIMIT_WINDOW_SECONDS: int(60, 1, 3600),
  RATE_LIMIT_TENANT_FREE: int(120, 1, 1_000_000),
  RATE_LIMIT_TENANT_PRO: int(1200, 1, 1_000_000),
  RATE_LIMIT_TENANT_ENTERPRISE: int(12_000, 1, 1_000_000),
  RATE_LIMIT_PRINCIPAL_FREE: int(60, 1, 1_000_000),
  RATE_LIMIT_PRINCIPAL_PRO: int(600, 1, 1_000_000),
  RATE_LIMIT_PRINCIPAL_ENTERPRISE: int(6000, 1, 1_000_000),
  AUTH_FAILURE_LIMIT: int(30, 1, 1_000_000),
  AUTH_FAILURE_WINDOW_SECONDS: int(60, 1, 3600),
  /** The web app's production build (services/web/dist), served at `/`; relative to the working directory. */
  WEB_DIST_DIR: z.string().min(1).default('services/web/dist'),
};

export interface GatewayConfig {
  authRequired: boolean;
  authJwksUrl: string;
  serviceUrls: { auth: string; tenant: string; billing: string; chat: string; stt: string; analytics: string };
  corsOrigins: string[];
  trustProxyHops: number;
  rateLimit: {
    windowSeconds: number;
    tenantPerWindow: { free: number; pro: number; enterprise: number };
    principalPerWindow: { free: number; pro: number; enterprise: number };
  };
  /** Refused credentials per client address and window; past the limit, 429 before any lookup. */
  authFailures: { limit: number; windowSeconds: number };
  /** Absolute path of the web app's build; the gateway serves it at `/` when it exists. */
  webDistDir: string;
}

export function toGatewayConfig(e: Record<string, unknown>): GatewayConfig {
  const n = (key: string) => e[key] as number;
  const s = (key: string) => e[key] as string;
  return {
    authRequired: e.AUTH_REQUIRED as boolean,
    authJwksUrl: s('AUTH_JWKS_URL'),
    serviceUrls: {
      auth: s('AUTH_SERVICE_URL'),
      tenant: s('TENANT_SERVICE_URL'),
      billing: s('BILLING_SERVICE_URL'),
      chat: s('CHAT_SERVICE_URL'),
      stt: s('STT_SERVICE_URL'),
      analytics: s('ANALYTICS_SERVICE_URL'),
    },
    corsOrigins: s('CORS_ORIGINS')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    trustProxyHops: n('TRUST_PROXY_HOPS'),
    rateLimit: {
      windowSeconds: n('RATE_LIMIT_WINDOW_SECONDS'),
      tenantPerWindow: {
        free: n('RATE_LIMIT_TENANT_FREE'),
        pro: n('RATE_LIMIT_TENANT_PRO'),
        enterprise: n('RATE_LIMIT_TENANT_ENTERPRISE'),
      },
      principalPerWindow: {
        free: n('RATE_LIMIT_PRINCIPAL_FREE'),
        pro: n('RATE_LIMIT_PRINCIPAL_PRO'),
        enterprise: n('RATE_LIMIT_PRINCIPAL_ENTERPRISE'),
      },
    },
    authFailures: { limit: n('AUTH_FAILURE_LIMIT'), windowSeconds: n('AUTH_FAILURE_WINDOW_SECONDS') },
    webDistDir: resolve(s('WEB_DIST_DIR')),
  };
}
