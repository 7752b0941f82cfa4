import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode, SCIM_TOKEN_PREFIX, scimSettingsSchema } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { authSettings } from '../../../auth-settings';
import { newOpaqueToken } from '../../../common/opaque-token';
import { parseInput } from '../../../common/parse-input';
import type { VerifiedAccess } from '../../access-tokens/access-token.claims';
import { AuditTrail } from '../../audit/audit-trail';
import { ActorResolver } from '../../authorization/actor-resolver';
import { assertPermitted } from '../../authorization/permissions';
import { TenantCommand } from '../../authorization/tenant-command';
import { ScimMembershipSync } from '../scim-membership-sync';
import { ScimRepository } from '../scim.repository';

/** An admin's request about the tenant's directory sync. */
export class ScimDirectoryCommand extends TenantCommand {
  static create(access: VerifiedAccess): ScimDirectoryCommand {
    return new ScimDirectoryCommand(access);
  }
}

/**
 * Directory sync as owners and admins manage it: the SCIM base URL and token (shown once; a new
 * one replaces the old at once), the default role and the group-to-role table (saving it re-applies
 * roles to every provisioned person), and switching sync off (the token stops working; the people
 * stay members). Each change is recorded for the audit log in its own transaction.
 */
@Injectable()
export class ManageScimDirectoryUseCase {
  private readonly baseUrl: string;

  constructor(
    private readonly actors: ActorResolver,
    private readonly scim: ScimRepository,
    private readonly sync: ScimMembershipSync,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.baseUrl = `${authSettings(config).publicUrl}/scim/v2`;
  }

  async get(command: ScimDirectoryCommand) {
    await this.authorise(command);
    const directory = await this.scim.directory(command.tenantId);
    return directory
      ? { enabled: true, baseUrl: this.baseUrl, ...withoutTenant(directory) }
      : { enabled: false, baseUrl: this.baseUrl };
  }

  async rotateToken(command: ScimDirectoryCommand) {
    await this.authorise(command);
    const { token, hash } = newOpaqueToken(SCIM_TOKEN_PREFIX);
    await this.scim.transaction(async (manager) => {
      await this.scim.setToken(command.tenantId, hash, `${token.slice(0, SCIM_TOKEN_PREFIX.length + 4)}…`, manager);
      await this.record(manager, command, 'sso.configured', { setting: 'scim.token' });
    });
    this.logger.info({ tenantId: command.tenantId }, 'SCIM token issued');
    return { ...(await this.get(command)), token };
  }

  async saveSettings(command: ScimDirectoryCommand, body: unknown) {
    await this.authorise(command);
    const settings = parseInput(scimSettingsSchema, body, 'directory settings');
    await this.scim.transaction(async (manager) => {
      await this.sync.lock(manager, command.tenantId);
      if (!(await this.scim.saveSettings(command.tenantId, settings, manager))) {
        throw new DomainException(ErrorCode.NotFound, 'Directory sync is off: create a token first');
      }
      await this.record(manager, command, 'sso.configured', {
        setting: 'scim.settings',
        defaultRole: settings.defaultRole,
        groupRoles: settings.groupRoles.length,
      });
      const directory = await this.scim.directory(command.tenantId, manager);
      if (!directory) return;
      for (const user of await this.scim.activeUsers(manager, command.tenantId)) {
        await this.sync.apply(manager, directory, { scimId: user.id, userId: user.userId, active: true });
      }
    });
    this.sync.publish();
    return this.get(command);
  }

  async disable(command: ScimDirectoryCommand): Promise<void> {
    await this.authorise(command);
    await this.scim.transaction(async (manager) => {
      if (!(await this.scim.removeDirectory(command.tenantId, manager))) {
        throw new DomainException(ErrorCode.NotFound, 'Directory sync is already off');
      }
      await this.record(manager, command, 'sso.removed', { setting: 'scim' });
    });
  }

  /** The change for the audit log, in its own transaction (never the token, nor its hint). */
  private record(
    manager: EntityManager,
    command: ScimDirectoryCommand,
    action: 'sso.configured' | 'sso.removed',
    details: Record<string, string | number>,
  ): Promise<void> {
    return this.audit.record(manager, {
      tenantId: command.tenantId,
      actorUserId: command.actor.userId,
      action,
      target: { type: 'scim-directory', id: command.tenantId },
      details,
    });
  }

  private async authorise(command: ScimDirectoryCommand): Promise<void> {
    assertPermitted((await this.actors.resolve(command)).role, 'sso.manage');
  }
}

function withoutTenant<T extends { tenantId: string }>({ tenantId: _tenantId, ...rest }: T) {
  return rest;
}
