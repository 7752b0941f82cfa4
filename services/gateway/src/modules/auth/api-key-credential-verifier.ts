import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { DomainException, ErrorCode, planIdSchema, SERVICE_CREDENTIAL_HEADER, uuidSchema } from '@parley/contracts';
import { HttpClient, type InternalTokens, RequestContext } from '@parley/observability';
import type { CredentialVerifier } from './credential-verifier';
import type { Principal } from './principal';

/**
 * How long one replica may reuse the auth service's answer about a key, positive or negative.
 * It bounds how long a revoked key still works anywhere: the auth service caches nothing.
 */
export const API_KEY_CACHE_MS = 5000;
/** Bounded: the least recently used answer leaves first. */
export const API_KEY_CACHE_MAX = 10_000;
const VERIFY_TIMEOUT_MS = 2000;
/** Longer than any key the auth service issues (`pk_<8>_<43>`); the auth DTO refuses > 200. */
const MAX_KEY_LENGTH = 200;
const API_KEY = /^pk_[A-Za-z0-9_-]+$/;
const BEARER_API_KEY = /^Bearer +(pk_\S*)$/i;

const verifiedKeySchema = z.object({
  keyId: z.string().min(1).max(128),
  tenantId: uuidSchema,
  scopes: z.array(z.string().max(64)).max(32),
  plan: planIdSchema,
  expiresAt: z.string().datetime({ offset: true }).nullable(),
});

type Answer = { principal: Principal; until: number } | { principal: null; until: number };

/** A key found valid, and until when (ms since the epoch) this replica keeps that answer. */
export interface ApiKeyCheck {
  principal: Principal;
  validUntil: number;
}

/**
 * API keys: `Authorization: Bearer pk_…` or `X-API-Key: pk_…` (not both: one credential per
 * request). The auth service verifies the key (`POST /internal/api-keys/verify`, keep-alive HTTP,
 * with this service's credential; its refusal limit is passed on as 429);
 * its answer, valid or `invalid_api_key`, is remembered for at most API_KEY_CACHE_MS (and never
 * past the key's expiry), by the key's sha256, in a bounded LRU; concurrent checks of one key
 * share one call. An auth service that cannot be reached or fails is 503, never a 401.
 */
export class ApiKeyCredentialVerifier implements CredentialVerifier {
  private readonly answers = new Map<string, Answer>();
  private readonly inFlight = new Map<string, Promise<Answer>>();
  private readonly auth: HttpClient;

  constructor(
    authServiceUrl: string,
    private readonly tokens: InternalTokens,
  ) {
    this.auth = new HttpClient({ service: 'auth', baseUrl: authServiceUrl });
  }

  recognises(headers: IncomingHttpHeaders): boolean {
    return headers['x-api-key'] !== undefined || /^Bearer +pk_/i.test(headers.authorization ?? '');
  }

  /** The principal of a key this replica found valid less than API_KEY_CACHE_MS ago (no call to auth). */
  remembered(headers: IncomingHttpHeaders): Principal | undefined {
    const key = presentedKey(headers);
    const known = key === undefined ? undefined : this.answers.get(answerId(key));
    return known && known.until > Date.now() ? (known.principal ?? undefined) : undefined;
  }

  async verify(headers: IncomingHttpHeaders): Promise<Principal> {
    return (await this.check(headers)).principal;
  }

  /**
   * As verify, and until when this replica keeps the answer: a long-lived connection (a WebSocket)
   * checks again at that moment, so it learns of a revocation as soon as a request would.
   */
  async check(headers: IncomingHttpHeaders): Promise<ApiKeyCheck> {
    const key = presentedKey(headers);
    if (key === undefined) throw invalid();
    const answer = await this.lookUp(key);
    if (!answer.principal) throw invalid();
    return { principal: answer.principal, validUntil: answer.until };
  }

  async close(): Promise<void> {
    await this.auth.close();
  }

  private async lookUp(key: string): Promise<Answer> {
    const id = answerId(key);
    const known = this.answers.get(id);
    if (known && known.until > Date.now()) {
      this.answers.delete(id); // re-insert: most recently used last
      this.answers.set(id, known);
      return known;
    }
    if (known) this.answers.delete(id);
    let pending = this.inFlight.get(id);
    if (!pending) {
      pending = this.ask(key)
        .then((answer) => {
          this.remember(id, answer);
          return answer;
        })
        .finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, pending);
    }
    return pending;
  }

  private async ask(key: string): Promise<Answer> {
    const ctx = RequestContext.current();
    const res = await this.auth.call(
      {
        method: 'POST',
        path: '/internal/api-keys/verify',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          [SERVICE_CREDENTIAL_HEADER]: await this.tokens.serviceCredential(),
          ...(ctx ? { 'x-request-id': ctx.requestId } : {}),
        },
        body: JSON.stringify({ key }),
      },
      VERIFY_TIMEOUT_MS,
    );
    const now = Date.now();
    if (res.status === 401 || res.status === 400) return { principal: null, until: now + API_KEY_CACHE_MS };
    if (res.status === 429) {
      const retryAfterSeconds = Number(res.headers['retry-after'] ?? 1) || 1;
      throw new DomainException(ErrorCode.RateLimited, 'Too many API key checks; retry later', { retryAfterSeconds });
    }
    const parsed = res.status === 200 ? verifiedKeySchema.safeParse(parseJson(res.body)) : undefined;
    if (!parsed?.success) {
      throw new DomainException(
        ErrorCode.ServiceUnavailable,
        'Credentials cannot be verified right now',
        { service: 'auth' },
        true,
      );
    }
    const { keyId, tenantId, scopes, plan, expiresAt } = parsed.data;
    const expiry = expiresAt === null ? Infinity : Date.parse(expiresAt);
    const principal: Principal = {
      kind: 'api-key',
      tenantId,
      userId: null,
      role: 'member',
      plan,
      sessionId: null,
      apiKeyId: keyId,
      scopes,
    };
    return { principal, until: Math.min(now + API_KEY_CACHE_MS, expiry) };
  }

  private remember(id: string, answer: Answer): void {
    while (this.answers.size >= API_KEY_CACHE_MAX) {
      const oldest = this.answers.keys().next().value;
      if (oldest === undefined) break;
      this.answers.delete(oldest);
    }
    this.answers.set(id, answer);
  }
}

/** What the cache keeps a key's answer under: its sha256 (the key itself is never kept). */
function answerId(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/** The key the request presents, or undefined when it is malformed or ambiguous. */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-api-key'];
  if (header !== undefined && headers.authorization !== undefined) return undefined;
  const key = header !== undefined ? header : BEARER_API_KEY.exec(headers.authorization ?? '')?.[1];
  if (typeof key !== 'string' || key.length > MAX_KEY_LENGTH || !API_KEY.test(key)) return undefined;
  return key;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function invalid(): DomainException {
  return new DomainException(ErrorCode.InvalidApiKey, 'API key is invalid');
}
