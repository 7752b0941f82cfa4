import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DomainException, ErrorCode, type MembershipRoleQuery, type Role, uuidSchema } from '@parley/contracts';
import { DATA_SOURCE } from '@parley/tenancy';

/**
 * A member's role as it is now (for the gateway, which mints it into the principal of each
 * request). A user who is no member of the tenant (never was, or was removed) is 404 `not_found`.
 */
@Injectable()
export class GetMemberRoleUseCase {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute(query: MembershipRoleQuery): Promise<{ role: Role }> {
    const rows = uuidSchema.safeParse(query.userId).success
      ? await this.dataSource.query<{ role: Role }[]>(
          `SELECT role FROM auth.memberships WHERE tenant_id = $1 AND user_id = $2`,
          [query.tenantId, query.userId],
        )
      : [];
    const role = rows[0]?.role;
    if (!role) throw new DomainException(ErrorCode.NotFound, 'No such member');
    return { role };
  }
}
