import { uniqueSuffix } from '@parley/testing';

/** A parsed JSON response; bodies are asserted field by field. */
export interface HttpResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
  body: any;
}

/** A JSON request to any service (the platform processes a test runs, or a gateway). */
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

/**
 * What gateway tests give the platform processes they run (`PlatformProcesses` in @parley/testing):
 * cloud mode, and a long bus timeout (sign-up waits for the tenant service's first reply).
 */
export const PLATFORM_TEST_ENV = { DEPLOYMENT_MODE: 'cloud', BUS_REQUEST_TIMEOUT_MS: '30000' } as const;

/** An organisation signed up through the real auth service: its tenant and its owner's access token. */
export interface SignedUpOwner {
  tenantId: string;
  accessToken: string;
}

export async function signUpOwner(authUrl: string, label = 'Org'): Promise<SignedUpOwner> {
  const suffix = uniqueSuffix();
  const res = await call(`${authUrl}/auth/sign-up`, 'POST', {
    body: {
      organizationName: `${label} ${suffix}`,
      organizationSlug: `${label.toLowerCase()}-${suffix}`,
      email: `owner-${suffix}@example.com`,
      password: 'correct horse battery staple',
      name: 'Owner',
    },
  });
  if (res.status !== 201) throw new Error(`sign-up answered ${res.status}: ${JSON.stringify(res.body)}`);
  const session = res.body as { tenant: { id: string }; accessToken: string };
  return { tenantId: session.tenant.id, accessToken: session.accessToken };
}

/** A new API key of the owner's tenant, through the auth service's public route. */
export async function createApiKey(
  authUrl: string,
  owner: SignedUpOwner,
  scopes: string[],
): Promise<{ id: string; key: string }> {
  const res = await call(`${authUrl}/auth/api-keys`, 'POST', {
    body: { name: `key ${uniqueSuffix()}`, scopes },
    headers: { authorization: `Bearer ${owner.accessToken}` },
  });
  if (res.status !== 201) throw new Error(`create key answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { id: string; key: string };
}

export async function revokeApiKey(authUrl: string, owner: SignedUpOwner, id: string): Promise<void> {
  const res = await call(`${authUrl}/auth/api-keys/${id}`, 'DELETE', {
    headers: { authorization: `Bearer ${owner.accessToken}` },
  });
  if (res.status !== 204) throw new Error(`revoke key answered ${res.status}: ${JSON.stringify(res.body)}`);
}
