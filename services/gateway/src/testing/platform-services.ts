import {
  createTestDatabase,
  freePort,
  ServiceProcess,
  testEnv,
  uniqueSuffix,
  type TestDatabase,
} from '@parley/testing';

/** A parsed JSON response; bodies are asserted field by field. */
export interface HttpResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
  body: any;
}

/**
 * The built tenant service (and, when asked, the built auth service) as processes of their own, in
 * cloud mode, on a fresh database and topic prefix that a gateway under test shares (run
 * `bash scripts/build.sh` first). Services never import each other, so the gateway tests spawn them.
 */
export class PlatformServices {
  private constructor(
    readonly topicPrefix: string,
    readonly db: TestDatabase,
    readonly tenant: ServiceProcess,
    readonly auth: ServiceProcess | undefined,
  ) {}

  static async start({ auth = false }: { auth?: boolean } = {}): Promise<PlatformServices> {
    const topicPrefix = `gw${uniqueSuffix()}.`;
    const db = await createTestDatabase();
    const env = testEnv({
      databaseUrl: db.url,
      topicPrefix,
      extra: { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' },
    });
    const tenant = new ServiceProcess('tenant', await freePort(), env).start();
    let authProcess: ServiceProcess | undefined;
    try {
      await tenant.waitReady(90_000); // it migrates the control plane, which auth reads
      if (auth) {
        authProcess = new ServiceProcess('auth', await freePort(), env).start();
        await authProcess.waitReady(90_000);
      }
      return new PlatformServices(topicPrefix, db, tenant, authProcess);
    } catch (error) {
      await authProcess?.stop();
      await tenant.stop();
      await db.drop();
      throw error;
    }
  }

  get authUrl(): string {
    if (!this.auth) throw new Error('started without the auth service');
    return this.auth.url;
  }

  async stop(): Promise<void> {
    await this.auth?.stop();
    await this.tenant.stop();
    await this.db.drop();
  }
}

export async function call(
  url: string,
  method: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}
