import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { SCIM_LIMITS } from '@parley/contracts';
import { authSettings } from '../../../auth-settings';
import { scimNotFound } from '../scim-errors';
import { pageOf, parseEqualityFilter } from '../scim-filter';
import { listResponse, userResource } from '../scim-resources';
import { ScimRepository } from '../scim.repository';

/** GET of SCIM users: one by id, or a page filtered by `userName`, `externalId` or `emails.value` eq. */
@Injectable()
export class ReadScimUsersUseCase {
  private readonly baseUrl: string;

  constructor(
    private readonly scim: ScimRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.baseUrl = `${authSettings(config).publicUrl}/scim/v2`;
  }

  async get(tenantId: string, id: string) {
    const user = await this.scim.findUser(this.scim.reader, tenantId, id);
    if (!user) throw scimNotFound('User');
    return userResource(user, await this.scim.groupsOf(this.scim.reader, tenantId, id), this.baseUrl);
  }

  async list(tenantId: string, query: { filter?: string; startIndex?: string; count?: string }) {
    const filter = parseEqualityFilter(query.filter, ['userName', 'externalId', 'emails.value']);
    const page = pageOf(query.startIndex, query.count, SCIM_LIMITS.maxPageSize);
    const { total, users } = await this.scim.listUsers(tenantId, filter, page);
    const resources = await Promise.all(
      users.map(async (user) =>
        userResource(user, await this.scim.groupsOf(this.scim.reader, tenantId, user.id), this.baseUrl),
      ),
    );
    return listResponse(resources, total, page.offset);
  }
}
