import { Inject, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { type ApiKeyScope, DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { CredentialFailureLimiter } from '../../../rate-limit/credential-failure.limiter';
import { EdgeAdmission } from '../../../rate-limit/edge-admission';
import type { Quota, RateLimitDecision } from '../../../rate-limit/rate-limit.policy';
import { TenantStatusStore } from '../../../tenant-status/tenant-status.store';
import { CREDENTIAL_VERIFIERS, type CredentialVerifier } from '../../credential-verifier';
import { MembershipRoles } from '../../membership-roles';
import type { Principal } from '../../principal';
import { scopeRefusal } from '../../principal-scope';
import { ResolveDefaultPrincipalUseCase } from '../resolve-default-principal/resolve-default-principal.usecase';

export interface AuthenticateRequestCommand {
  headers: IncomingHttpHeaders;
  clientAddress: string | undefined;
  /** The scope the route requires of an API key (403 `insufficient_scope` without it). */
  requiredScope?: ApiKeyScope;
  /** What the request counts against once its principal is known, or null: not counted here. */
  quotaOf?: (principal: Principal) => Quota | null;
}

export interface Authentication {
  principal: Principal;
  /** The rate-limit decision when the request was counted (the caller answers 429 with it), else null. */
  rateLimit: RateLimitDecision | null;
}

/**
 * Who is calling, and may they: the principal from the first verifier that recognises the
 * credential (none: the default tenant's owner in self-hosted mode with AUTH_REQUIRED=false, else
 * 401). The steps:
 * 1. A credential the verifiers do not remember is looked up only while the client address has
 *    refused credentials left in its window (else 429, before any lookup); a refusal counts.
 * 2. One Redis round trip (EdgeAdmission) checks the address's refused credentials, the session's
 *    revocation and counts the request against its rate limits, beside the member's current role
 *    (auth's memberships, cached ≤ 5 s; never the token's) and, when this replica's copy is older
 *    than 2 s, the tenant's status. Requests refused by scope or by a tenant status this replica
 *    knows are not counted (one whose status was just read may be, once per 2 s).
 * 3. The refusals, in this precedence: the address (429), a revoked session or a removed member
 *    (401 `session_revoked`), a missing scope (403). The tenant-status guard and the rate-limit
 *    guard then answer with what this step found. While Redis cannot answer, revocations are not
 *    checked (logged) and rate limits fall back to this replica, so the gateway serves on.
 */
@Injectable()
export class AuthenticateRequestUseCase {
  private readonly authRequired: boolean;
  private lastUncheckedWarning = 0;

  constructor(
    @Inject(CREDENTIAL_VERIFIERS) private readonly verifiers: readonly CredentialVerifier[],
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly defaultPrincipal: ResolveDefaultPrincipalUseCase,
    private readonly failures: CredentialFailureLimiter,
    private readonly admission: EdgeAdmission,
    private readonly roles: MembershipRoles,
    private readonly tenantStatus: TenantStatusStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.authRequired = config.gateway?.authRequired ?? true;
  }

  async execute(command: AuthenticateRequestCommand): Promise<Authentication> {
    const { headers, requiredScope } = command;
    const address = command.clientAddress ?? 'unknown';
    const verifier = this.verifiers.find((v) => v.recognises(headers));
    const presented = verifier !== undefined || headers.authorization !== undefined;
    const principal = verifier?.remembered?.(headers) ?? (await this.verify(verifier, headers, address));

    const scoped = scopeRefusal(principal, requiredScope);
    const known = this.tenantStatus.peek(principal.tenantId);
    const counted = scoped === undefined && (known === undefined || known === 'active');
    const user = principal.kind === 'user' && principal.userId !== null ? principal.userId : null;
    const [checks, role] = await Promise.allSettled([
      this.admission.check({
        address: presented ? address : null,
        session:
          user !== null && principal.sessionId !== null
            ? { tenantId: principal.tenantId, sessionId: principal.sessionId }
            : null,
        quota: counted ? (command.quotaOf?.(principal) ?? null) : null,
      }),
      user === null ? Promise.resolve(principal.role) : this.roles.current(principal.tenantId, user),
      // A status this replica no longer holds is read meanwhile, so the tenant-status guard finds it cached.
      known === undefined ? this.tenantStatus.get(principal.tenantId) : Promise.resolve(known),
    ]);

    if (checks.status === 'rejected') throw checks.reason;
    const { addressRefusal, session, rateLimit } = checks.value;
    if (addressRefusal) throw addressRefusal;
    if (session === 'revoked') throw new DomainException(ErrorCode.SessionRevoked, 'The session has been revoked');
    if (session === 'unknown') this.warnUnchecked();
    if (role.status === 'rejected') throw role.reason;
    if (role.value === null) {
      throw new DomainException(ErrorCode.SessionRevoked, 'You are no longer a member of this tenant');
    }
    if (scoped) throw scoped;
    return { principal: role.value === principal.role ? principal : { ...principal, role: role.value }, rateLimit };
  }

  private async verify(
    verifier: CredentialVerifier | undefined,
    headers: IncomingHttpHeaders,
    address: string,
  ): Promise<Principal> {
    if (verifier || headers.authorization !== undefined) {
      await this.failures.assertAllowed(address);
      try {
        if (!verifier) throw new DomainException(ErrorCode.InvalidAccessToken, 'Access token is invalid');
        return await verifier.verify(headers);
      } catch (error) {
        if (error instanceof DomainException && error.httpStatus === 401) await this.failures.recordFailure(address);
        throw error;
      }
    }
    if (!this.authRequired) return this.defaultPrincipal.execute();
    throw new DomainException(
      ErrorCode.AuthenticationRequired,
      'Authentication required: send Authorization: Bearer <token> or an API key',
    );
  }

  private warnUnchecked(): void {
    const now = Date.now();
    if (now - this.lastUncheckedWarning < 10_000) return;
    this.lastUncheckedWarning = now;
    this.logger.warn('Redis cannot answer: session revocations are not checked until it is back');
  }
}
