import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { LOGGER, type Logger } from '@parley/observability';
import {
  DATA_SOURCE,
  migrateControlPlane,
  TenantMigrationRunner,
  type TenantMigrationOptions,
  type TenantMigrationReport,
} from '@parley/tenancy';

/** Control-plane migrations, then the resumable per-tenant run. Used at boot and by the CLI. */
@Injectable()
export class MigrateAllUseCase {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly tenants: TenantMigrationRunner,
  ) {}

  async execute(options: TenantMigrationOptions = {}): Promise<{ control: string[]; tenants: TenantMigrationReport }> {
    if (!this.dataSource.isInitialized) await this.dataSource.initialize();
    const control = options.dryRun ? [] : await migrateControlPlane(this.dataSource);
    const tenants = await this.tenants.run(options);
    const { results, ...summary } = tenants;
    this.logger.info(
      { control, ...summary, failures: results.filter((r) => r.status === 'failed') },
      'Migrations done',
    );
    return { control, tenants };
  }
}
