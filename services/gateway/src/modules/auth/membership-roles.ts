import {
  DomainException,
  ErrorCode,
  MEMBERSHIP_ROLE_PATH,
  membershipRoleAnswerSchema,
  SERVICE_CREDENTIAL_HEADER,
} from '@parley/contracts';
import { HttpClient, type InternalTokens, RequestContext } from '@parley/observability';
import type { Role } from './principal';

/** How long one replica reuses a member's role; `auth.membership-changed.v1` forgets it sooner. */
export const ROLE_CACHE_MS = 5000;
export const ROLE_CACHE_MAX = 10_000;
const LOOKUP_TIMEOUT_MS = 2000;

/**
 * The member's role as auth's data says now, never as the access token remembers it: asked of the
 * auth service (`POST /internal/memberships/role`, service credential), kept at most ROLE_CACHE_MS
 * per replica in a bounded map, and forgotten at once when auth announces a change. Null when the
 * user is no member any more. An auth service that cannot answer is 503, never a guess.
 */
export class MembershipRoles {
  private readonly roles = new Map<string, { role: Role; until: number }>();
  private readonly auth: HttpClient;

  constructor(
    authServiceUrl: string,
    private readonly tokens: InternalTokens,
  ) {
    this.auth = new HttpClient({ service: 'auth', baseUrl: authServiceUrl });
  }

  async current(tenantId: string, userId: string): Promise<Role | null> {
    const key = `${tenantId}:${userId}`;
    const known = this.roles.get(key);
    if (known && known.until > Date.now()) return known.role;
    this.roles.delete(key);
    const role = await this.ask(tenantId, userId);
    if (role !== null) this.remember(key, role);
    return role;
  }

  /** A membership changed: the next request asks auth again. */
  forget(tenantId: string, userId: string): void {
    this.roles.delete(`${tenantId}:${userId}`);
  }

  async close(): Promise<void> {
    await this.auth.close();
  }

  private async ask(tenantId: string, userId: string): Promise<Role | null> {
    const ctx = RequestContext.current();
    const res = await this.auth.call(
      {
        method: 'POST',
        path: MEMBERSHIP_ROLE_PATH,
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          [SERVICE_CREDENTIAL_HEADER]: await this.tokens.serviceCredential(),
          ...(ctx ? { 'x-request-id': ctx.requestId } : {}),
        },
        body: JSON.stringify({ tenantId, userId }),
      },
      LOOKUP_TIMEOUT_MS,
    );
    if (res.status === 404) return null;
    const parsed = res.status === 200 ? membershipRoleAnswerSchema.safeParse(parseJson(res.body)) : undefined;
    if (!parsed?.success) {
      throw new DomainException(
        ErrorCode.ServiceUnavailable,
        'Credentials cannot be verified right now',
        { service: 'auth' },
        true,
      );
    }
    return parsed.data.role;
  }

  private remember(key: string, role: Role): void {
    while (this.roles.size >= ROLE_CACHE_MAX) {
      const oldest = this.roles.keys().next().value;
      if (oldest === undefined) break;
      this.roles.delete(oldest);
    }
    this.roles.set(key, { role, until: Date.now() + ROLE_CACHE_MS });
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
