import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE, TenantEntity } from '@parley/tenancy';

/** Control-plane access to tenant records (not tenant-scoped data: these rows describe tenants). */
@Injectable()
export class TenantsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  findById(id: string): Promise<TenantEntity | null> {
    return this.dataSource.getRepository(TenantEntity).findOneBy({ id });
  }

  findBySlug(slug: string, manager?: EntityManager): Promise<TenantEntity | null> {
    return (manager ?? this.dataSource.manager).getRepository(TenantEntity).findOneBy({ slug });
  }

  count(manager?: EntityManager): Promise<number> {
    return (manager ?? this.dataSource.manager).getRepository(TenantEntity).count();
  }

  list(limit: number, offset: number): Promise<[TenantEntity[], number]> {
    return this.dataSource.getRepository(TenantEntity).findAndCount({
      order: { createdAt: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
  }
}
