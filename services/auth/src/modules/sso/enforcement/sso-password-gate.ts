import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainException, ErrorCode } from '@parley/contracts';
import { SsoPolicyRepository } from './sso-policy.repository';

/**
 * Where a password would open a session (sign-in, invite acceptance, switching organisation): an
 * organisation that requires single sign-on refuses it with 403 `sso_required` naming where to sign
 * in instead — except for its named break-glass owners.
 */
@Injectable()
export class SsoPasswordGate {
  constructor(private readonly policies: SsoPolicyRepository) {}

  /** `userId` null: a person not yet a member (an invite being accepted), never break-glass. */
  async assertPasswordAllowed(
    tenantId: string,
    userId: string | null,
    runner?: DataSource | EntityManager,
  ): Promise<void> {
    const policy = await this.policies.get(tenantId, runner);
    if (!policy.ssoRequired || (userId !== null && policy.breakGlassUserIds.includes(userId))) return;
    const connection = await this.policies.enabledConnection(tenantId, runner);
    throw new DomainException(ErrorCode.SsoRequired, 'This organisation signs in with single sign-on', {
      tenantSlug: connection?.tenantSlug ?? null,
      protocol: connection?.protocol ?? null,
      loginUrl: connection?.loginPath ?? null,
    });
  }
}
