import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode, scimPatchSchema, scimUserInputSchema } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import type { RevokedSession } from '@parley/tenancy';
import { authSettings } from '../../../auth-settings';
import { AccountsRepository } from '../../accounts/accounts.repository';
import { EdgeRevocation } from '../../sessions/edge-revocation';
import { scimNotFound, scimUniqueness } from '../scim-errors';
import { ScimMembershipSync } from '../scim-membership-sync';
import { userResource } from '../scim-resources';
import { patchUser, userStateFrom, type ScimUserState } from '../scim-user-patch';
import { ScimRepository, type ScimDirectory, type ScimUserRecord } from '../scim.repository';
import { parseScim } from './scim-input';

/** The password hash of an account made by directory sync: no password ever matches it. */
export const PASSWORDLESS_HASH = '!sso-only';

/**
 * Creates, replaces and patches SCIM users. Each write runs in one transaction under the tenant's
 * lock: the SCIM row, then the membership made to match it (ScimMembershipSync); after the commit
 * the revoked sessions of a deactivated person reach the edge at once. A new userName links to the
 * existing Parley account of that email (one account per email, across tenants), else a
 * passwordless account is made. The account's email is never changed by a tenant's directory.
 */
@Injectable()
export class WriteScimUserUseCase {
  private readonly baseUrl: string;

  constructor(
    private readonly scim: ScimRepository,
    private readonly accounts: AccountsRepository,
    private readonly sync: ScimMembershipSync,
    private readonly edge: EdgeRevocation,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.baseUrl = `${authSettings(config).publicUrl}/scim/v2`;
  }

  async create(tenantId: string, body: unknown) {
    const state = userStateFrom(parseScim(scimUserInputSchema, body, 'User'));
    const existing = await this.accounts.findUserByEmail(state.email);
    const id = randomUUID();
    await this.write(tenantId, async (manager, directory) => {
      if (await this.scim.userNameTaken(manager, tenantId, state.userName, null)) {
        throw scimUniqueness(`userName ${state.userName} is already provisioned`);
      }
      let userId = existing?.id;
      if (userId && (await this.scim.linkedUser(manager, tenantId, userId))) {
        throw scimUniqueness(`${state.email} is already provisioned`);
      }
      if (!userId) {
        userId = randomUUID();
        const name =
          state.displayName ?? ([state.givenName, state.familyName].filter(Boolean).join(' ') || state.email);
        await this.accounts.insertUser(manager, {
          id: userId,
          email: state.email,
          name,
          passwordHash: PASSWORDLESS_HASH,
        });
      }
      await this.scim.insertUser(manager, tenantId, id, userId, state);
      return this.sync.apply(manager, directory, { scimId: id, userId, active: state.active });
    });
    this.logger.info({ tenantId, scimUserId: id }, 'SCIM user provisioned');
    return this.read(tenantId, id);
  }

  async replace(tenantId: string, id: string, body: unknown) {
    const input = parseScim(scimUserInputSchema, body, 'User');
    return this.update(tenantId, id, (current) => userStateFrom(input, current));
  }

  async patch(tenantId: string, id: string, body: unknown) {
    const { Operations } = parseScim(scimPatchSchema, body, 'PatchOp');
    return this.update(tenantId, id, (current) => patchUser(current, Operations));
  }

  private async update(tenantId: string, id: string, change: (current: ScimUserState) => ScimUserState) {
    await this.write(tenantId, async (manager, directory) => {
      const current = await this.scim.findUser(manager, tenantId, id);
      if (!current) throw scimNotFound('User');
      const next = { ...change(current), email: current.email };
      if (next.userName !== current.userName && (await this.scim.userNameTaken(manager, tenantId, next.userName, id))) {
        throw scimUniqueness(`userName ${next.userName} is already provisioned`);
      }
      await this.scim.updateUser(manager, tenantId, id, next);
      if (current.active !== next.active) {
        this.logger.info({ tenantId, scimUserId: id, active: next.active }, 'SCIM user (de)activated');
      }
      return this.sync.apply(manager, directory, { scimId: id, userId: current.userId, active: next.active });
    });
    return this.read(tenantId, id);
  }

  /** One transaction under the tenant's lock; then the outbox and the edge. */
  private async write(
    tenantId: string,
    work: (manager: EntityManager, directory: ScimDirectory) => Promise<RevokedSession[]>,
  ): Promise<void> {
    const revoked = await this.scim.transaction(async (manager) => {
      await this.sync.lock(manager, tenantId);
      const directory = await this.scim.directory(tenantId, manager);
      if (!directory) throw new DomainException(ErrorCode.AuthenticationRequired, 'Directory sync is off');
      return work(manager, directory);
    });
    this.sync.publish();
    if (revoked.length > 0) await this.edge.revoke(revoked);
  }

  private async read(tenantId: string, id: string) {
    const user = (await this.scim.findUser(this.scim.reader, tenantId, id)) as ScimUserRecord;
    return userResource(user, await this.scim.groupsOf(this.scim.reader, tenantId, id), this.baseUrl);
  }
}
