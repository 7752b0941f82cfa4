import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { SCIM_LIMITS } from '@parley/contracts';
import { authSettings } from '../../../auth-settings';
import { scimNotFound } from '../scim-errors';
import { pageOf, parseEqualityFilter } from '../scim-filter';
import { groupResource, listResponse } from '../scim-resources';
import { ScimRepository, type ScimGroupRecord } from '../scim.repository';

/** GET of SCIM groups: one by id, or a page filtered by `displayName` or `externalId` eq. */
@Injectable()
export class ReadScimGroupsUseCase {
  private readonly baseUrl: string;

  constructor(
    private readonly scim: ScimRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.baseUrl = `${authSettings(config).publicUrl}/scim/v2`;
  }

  async get(tenantId: string, id: string, excludedAttributes?: string) {
    const group = await this.scim.findGroup(this.scim.reader, tenantId, id);
    if (!group) throw scimNotFound('Group');
    return groupResource(group, this.baseUrl, !excludes(excludedAttributes, 'members'));
  }

  async list(
    tenantId: string,
    query: { filter?: string; startIndex?: string; count?: string; excludedAttributes?: string },
  ) {
    const filter = parseEqualityFilter(query.filter, ['displayName', 'externalId']);
    const page = pageOf(query.startIndex, query.count, SCIM_LIMITS.maxPageSize);
    const { total, ids } = await this.scim.listGroupIds(tenantId, filter, page);
    const groups = (await Promise.all(ids.map((id) => this.scim.findGroup(this.scim.reader, tenantId, id)))).filter(
      (group): group is ScimGroupRecord => group !== null,
    );
    const withMembers = !excludes(query.excludedAttributes, 'members');
    return listResponse(
      groups.map((group) => groupResource(group, this.baseUrl, withMembers)),
      total,
      page.offset,
    );
  }
}

function excludes(list: string | undefined, attribute: string): boolean {
  return (list ?? '').split(',').some((entry) => entry.trim().toLowerCase() === attribute);
}
