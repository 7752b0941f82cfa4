import {
  createTestDatabase,
  freePort,
  ServiceProcess,
  testEnv,
  uniqueSuffix,
  type TestDatabase,
} from '@parley/testing';

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
}): Promise<IdentityStack> {
  const db: TestDatabase = await createTestDatabase();
  const env = testEnv({
    databaseUrl: db.url,
    topicPrefix: `st${uniqueSuffix()}.`,
    extra: { DEPLOYMENT_MODE: options.mode },
  });
  const started: ServiceProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map((p) => p.stop()));
    await db.drop();
  };
  try {
    const tenant = new ServiceProcess('tenant', await freePort(), env).start();
    started.push(tenant);
    await tenant.waitReady();
    const auth = new ServiceProcess('auth', await freePort(), {
      ...env,
      TRUST_PROXY_HOPS: '1',
      ...options.authEnv,
    }).start();
    started.push(auth);
    await auth.waitReady();
    const gatewayEnv: Record<string, string> = {
      ...env,
      AUTH_JWKS_URL: `${auth.url}/.well-known/jwks.json`,
      AUTH_SERVICE_URL: auth.url,
      TENANT_SERVICE_URL: tenant.url,
    };
    delete gatewayEnv.DATABASE_URL;
    const gateway = new ServiceProcess('gateway', await freePort(), gatewayEnv).start();
    started.push(gateway);
    await gateway.waitReady();
    return { api: gateway.url, tenant, auth, gateway, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
