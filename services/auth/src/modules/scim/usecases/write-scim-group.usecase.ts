import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode, scimGroupInputSchema, scimPatchSchema } from '@parley/contracts';
import { authSettings } from '../../../auth-settings';
import { scimInvalidValue, scimNotFound, scimUniqueness } from '../scim-errors';
import { patchGroup, type ScimGroupState } from '../scim-group-patch';
import { ScimMembershipSync } from '../scim-membership-sync';
import { groupResource } from '../scim-resources';
import { ScimRepository, type ScimGroupRecord } from '../scim.repository';
import { parseScim } from './scim-input';

/**
 * Creates, replaces, patches and deletes SCIM groups. Group membership drives roles: after each
 * write, every person who joined or left the group gets the role their groups now map to (in the
 * same transaction, with `auth.membership-changed.v1`). Members must be this tenant's SCIM users.
 */
@Injectable()
export class WriteScimGroupUseCase {
  private readonly baseUrl: string;

  constructor(
    private readonly scim: ScimRepository,
    private readonly sync: ScimMembershipSync,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.baseUrl = `${authSettings(config).publicUrl}/scim/v2`;
  }

  async create(tenantId: string, body: unknown) {
    const input = parseScim(scimGroupInputSchema, body, 'Group');
    const id = randomUUID();
    const state: ScimGroupState = {
      displayName: input.displayName,
      externalId: input.externalId ?? null,
      members: (input.members ?? []).map((m) => m.value.toLowerCase()),
    };
    await this.write(tenantId, id, null, state);
    return this.read(tenantId, id);
  }

  async replace(tenantId: string, id: string, body: unknown) {
    const input = parseScim(scimGroupInputSchema, body, 'Group');
    await this.update(tenantId, id, () => ({
      displayName: input.displayName,
      externalId: input.externalId ?? null,
      members: (input.members ?? []).map((m) => m.value.toLowerCase()),
    }));
    return this.read(tenantId, id);
  }

  async patch(tenantId: string, id: string, body: unknown) {
    const { Operations } = parseScim(scimPatchSchema, body, 'PatchOp');
    await this.update(tenantId, id, (current) => patchGroup(current, Operations));
    return this.read(tenantId, id);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.transaction(tenantId, async (manager) => {
      const current = await this.scim.findGroup(manager, tenantId, id);
      if (!current) throw scimNotFound('Group');
      await this.scim.deleteGroup(manager, tenantId, id);
      return current.members;
    });
  }

  private async update(tenantId: string, id: string, change: (current: ScimGroupState) => ScimGroupState) {
    await this.transaction(tenantId, async (manager) => {
      const current = await this.scim.findGroup(manager, tenantId, id);
      if (!current) throw scimNotFound('Group');
      return this.save(manager, tenantId, id, current, change(current));
    });
  }

  private async write(tenantId: string, id: string, current: ScimGroupRecord | null, next: ScimGroupState) {
    await this.transaction(tenantId, (manager) => this.save(manager, tenantId, id, current, next));
  }

  /** Saves the group; answers the SCIM users whose role may change. */
  private async save(
    manager: EntityManager,
    tenantId: string,
    id: string,
    current: ScimGroupRecord | null,
    next: ScimGroupState,
  ): Promise<string[]> {
    if (await this.scim.groupNameTaken(manager, tenantId, next.displayName, current ? id : null)) {
      throw scimUniqueness(`A group named ${next.displayName} exists`);
    }
    const known = new Set(await this.scim.existingUserIds(manager, tenantId, next.members));
    const unknown = next.members.filter((member) => !known.has(member));
    if (unknown.length > 0) throw scimInvalidValue(`Unknown members: ${unknown.slice(0, 5).join(', ')}`);
    await this.scim.saveGroup(manager, tenantId, id, next, current === null);
    return [...new Set([...(current?.members ?? []), ...next.members])];
  }

  /** One transaction under the tenant's lock; the affected people's roles follow their groups. */
  private async transaction(tenantId: string, work: (manager: EntityManager) => Promise<string[]>): Promise<void> {
    await this.scim.transaction(async (manager) => {
      await this.sync.lock(manager, tenantId);
      const directory = await this.scim.directory(tenantId, manager);
      if (!directory) throw new DomainException(ErrorCode.AuthenticationRequired, 'Directory sync is off');
      for (const scimId of await work(manager)) {
        const user = await this.scim.findUser(manager, tenantId, scimId);
        if (user?.active) await this.sync.apply(manager, directory, { scimId, userId: user.userId, active: true });
      }
    });
    this.sync.publish();
  }

  private async read(tenantId: string, id: string) {
    const group = await this.scim.findGroup(this.scim.reader, tenantId, id);
    if (!group) throw scimNotFound('Group');
    return groupResource(group, this.baseUrl);
  }
}
