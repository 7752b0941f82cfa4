import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, ssoPolicyBodySchema, type SsoPolicyView } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { parseInput } from '../../../common/parse-input';
import type { VerifiedAccess } from '../../access-tokens/access-token.claims';
import { AuditTrail } from '../../audit/audit-trail';
import { ActorResolver } from '../../authorization/actor-resolver';
import { assertPermitted } from '../../authorization/permissions';
import { TenantCommand } from '../../authorization/tenant-command';
import { EdgeRevocation } from '../../sessions/edge-revocation';
import { SsoPolicyRepository } from './sso-policy.repository';

export class SsoPolicyCommand extends TenantCommand {
  static create(access: VerifiedAccess): SsoPolicyCommand {
    return new SsoPolicyCommand(access);
  }
}

/**
 * "SSO required", as owners and admins set it: it needs an enabled connection (409
 * `sso_not_configured` otherwise) and break-glass accounts that are owners (400 otherwise). Turning
 * it on revokes, in the same transaction and then at the edge, every session of the tenant but the
 * break-glass owners' (people signed in by SSO just sign in again), so no password session survives.
 * Each save is recorded for the audit log (`sso.configured`) in its transaction.
 */
@Injectable()
export class ManageSsoPolicyUseCase {
  constructor(
    private readonly actors: ActorResolver,
    private readonly policies: SsoPolicyRepository,
    private readonly edge: EdgeRevocation,
    private readonly audit: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async get(command: SsoPolicyCommand): Promise<SsoPolicyView> {
    assertPermitted((await this.actors.resolve(command)).role, 'sso.manage');
    return this.policies.get(command.tenantId);
  }

  async save(command: SsoPolicyCommand, body: unknown): Promise<SsoPolicyView> {
    const input = parseInput(ssoPolicyBodySchema, body, 'SSO policy');
    const breakGlass = [...new Set(input.breakGlassUserIds.map((id) => id.toLowerCase()))];
    const revoked = await this.policies.transaction(async (manager) => {
      const actor = await this.actors.resolve(command, manager);
      assertPermitted(actor.role, 'sso.manage');
      const owners = await this.policies.ownersAmong(manager, command.tenantId, breakGlass);
      const notOwners = breakGlass.filter((id) => !owners.includes(id));
      if (notOwners.length > 0) {
        throw new DomainException(ErrorCode.ValidationFailed, 'Break-glass accounts must be owners', {
          issues: notOwners.map((id) => `breakGlassUserIds: ${id} is not an owner of this organisation`),
        });
      }
      if (input.ssoRequired && !(await this.policies.enabledConnection(command.tenantId, manager))) {
        throw new DomainException(ErrorCode.SsoNotConfigured, 'Enable a single sign-on connection first');
      }
      const before = await this.policies.get(command.tenantId, manager);
      await this.policies.save(
        manager,
        command.tenantId,
        { ssoRequired: input.ssoRequired, breakGlassUserIds: breakGlass },
        actor.userId,
      );
      await this.audit.record(manager, {
        tenantId: command.tenantId,
        actorUserId: actor.userId,
        action: 'sso.configured',
        target: { type: 'sso-policy', id: command.tenantId },
        details: { setting: 'policy', ssoRequired: input.ssoRequired, breakGlass: breakGlass.length },
      });
      if (!input.ssoRequired || before.ssoRequired) return [];
      return this.policies.revokeSessionsExcept(manager, command.tenantId, breakGlass);
    });
    if (revoked.length > 0) await this.edge.revoke(revoked);
    this.logger.info(
      { tenantId: command.tenantId, ssoRequired: input.ssoRequired, revokedSessions: revoked.length },
      'SSO policy saved',
    );
    return this.policies.get(command.tenantId);
  }
}
