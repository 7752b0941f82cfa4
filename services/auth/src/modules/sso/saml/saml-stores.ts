import { Inject, Injectable } from '@nestjs/common';
import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import type { Redis } from 'ioredis';
import { REDIS, tenantKey } from '@parley/tenancy';

/** How long an AuthnRequest id stays usable: the time a person may take at the IdP. */
export const SAML_REQUEST_TTL_MS = 10 * 60_000;

/** What a request of ours was for: a sign-in, a test login (no session), or a LogoutRequest. */
export type SamlRequestPurpose = 'login' | 'test' | 'logout';

/**
 * node-saml's request-id store, on Redis so every replica shares it, keyed by tenant (a request of
 * tenant A is unknown at tenant B's ACS). The first read of an id takes it (GETDEL): an id is used
 * once even when two replicas receive the same response at once. node-saml may read the same id a
 * second time within one validation (the SubjectConfirmationData's InResponseTo), so one instance
 * remembers what it took; make one per validation.
 */
export class RedisSamlRequestCache implements CacheProvider {
  /** What this instance took: node-saml's value (the request's instant, which it parses) and the purpose. */
  private readonly taken = new Map<string, { value: string; purpose: string }>();

  constructor(
    private readonly redis: Redis,
    private readonly tenantId: string,
    /** What requests saved through this instance are for: a sign-in, a test (no session), a logout. */
    private readonly purpose: SamlRequestPurpose = 'login',
  ) {}

  /** Whether a request this instance took (during validation) was started as a test login. */
  wasTest(id: string | undefined): boolean {
    return id !== undefined && this.taken.get(id)?.purpose === 'test';
  }

  /** What a request this instance took was for (null: it took no such request). */
  purposeOf(id: string): string | null {
    return this.taken.get(id)?.purpose ?? null;
  }

  /** Whether any request this instance took was a test login (a refusal after InResponseTo matched). */
  tookTest(): boolean {
    return [...this.taken.values()].some((entry) => entry.purpose === 'test');
  }

  private key(id: string): string {
    return tenantKey(this.tenantId, 'sso', 'saml', 'request', id);
  }

  async saveAsync(id: string, value: string): Promise<CacheItem | null> {
    await this.redis.set(this.key(id), `${this.purpose}|${value}`, 'PX', SAML_REQUEST_TTL_MS, 'NX');
    return { value, createdAt: Date.now() };
  }

  async getAsync(id: string): Promise<string | null> {
    const remembered = this.taken.get(id);
    if (remembered !== undefined) return remembered.value;
    const stored = await this.redis.getdel(this.key(id));
    if (stored === null) return null;
    const bar = stored.indexOf('|');
    const entry = { purpose: stored.slice(0, bar), value: stored.slice(bar + 1) };
    this.taken.set(id, entry);
    return entry.value;
  }

  async removeAsync(id: string | null): Promise<string | null> {
    if (id === null) return null;
    await this.redis.del(this.key(id));
    return id;
  }
}

/** Assertion ids already accepted, per tenant, until the assertion could no longer be valid anyway. */
@Injectable()
export class SamlAssertionLedger {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  requestCache(tenantId: string, purpose: SamlRequestPurpose = 'login'): RedisSamlRequestCache {
    return new RedisSamlRequestCache(this.redis, tenantId, purpose);
  }

  /**
   * Records the id of an IdP's LogoutRequest until it could no longer be accepted anyway; false
   * when it was already recorded (a replay).
   */
  async acceptLogoutRequest(tenantId: string, requestId: string, keepMs: number): Promise<boolean> {
    const key = tenantKey(tenantId, 'sso', 'saml', 'logout-request', requestId.slice(0, 256));
    return (await this.redis.set(key, '1', 'PX', Math.max(keepMs, 1000), 'NX')) === 'OK';
  }

  private key(tenantId: string, assertionId: string): string {
    return tenantKey(tenantId, 'sso', 'saml', 'assertion', assertionId);
  }

  async seen(tenantId: string, assertionId: string): Promise<boolean> {
    return (await this.redis.exists(this.key(tenantId, assertionId))) === 1;
  }

  /** Records the id; false when it was already recorded (a replay). */
  async accept(tenantId: string, assertionId: string, keepMs: number): Promise<boolean> {
    const set = await this.redis.set(this.key(tenantId, assertionId), '1', 'PX', Math.max(keepMs, 1000), 'NX');
    return set === 'OK';
  }
}
