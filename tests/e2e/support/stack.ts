import { PlatformProcesses, type ServiceProcess, type ServiceUrls } from '@parley/testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
export const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

export interface IdentityStack {
  api: string;
  tenant: ServiceProcess;
  auth: ServiceProcess;
  gateway: ServiceProcess;
  stop(): Promise<void>;
}

/**
 * The tenant, auth and gateway services as processes on a fresh database and topic prefix, wired the
 * way `npm start` wires them (auth's JWKS and URL for the gateway, one trusted proxy hop for auth).
 */
export async function startIdentityStack(options: {
  mode: 'cloud' | 'self-hosted';
  authEnv?: Record<string, string>;
  /** Auth settings that name other services' URLs (e.g. PUBLIC_URL = the gateway, for SSO). */
  authEnvFromUrls?: (urls: ServiceUrls) => Record<string, string>;
}): Promise<IdentityStack> {
  const platform = await PlatformProcesses.start({
    services: ['tenant', 'auth', 'gateway'],
    env: { DEPLOYMENT_MODE: options.mode },
    serviceEnv: {
      auth: (urls) => ({ TRUST_PROXY_HOPS: '1', ...options.authEnv, ...options.authEnvFromUrls?.(urls) }),
    },
  });
  return {
    api: platform.url('gateway'),
    tenant: platform.get('tenant'),
    auth: platform.get('auth'),
    gateway: platform.get('gateway'),
    stop: () => platform.stop(),
  };
}
