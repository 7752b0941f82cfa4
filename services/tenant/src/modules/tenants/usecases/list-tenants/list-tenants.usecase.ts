import { Injectable } from '@nestjs/common';
import { TenantsRepository } from '../../tenants.repository';
import { toTenantView, type TenantView } from '../../tenant.mapper';

@Injectable()
export class ListTenantsUseCase {
  constructor(private readonly tenants: TenantsRepository) {}

  async execute(
    limit: number,
    offset: number,
  ): Promise<{ items: TenantView[]; total: number; limit: number; offset: number }> {
    const [rows, total] = await this.tenants.list(limit, offset);
    return { items: rows.map(toTenantView), total, limit, offset };
  }
}
