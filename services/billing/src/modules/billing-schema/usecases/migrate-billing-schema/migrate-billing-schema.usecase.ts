import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { LOGGER, type Logger } from '@parley/observability';
import { DATA_SOURCE, migrateSchema } from '@parley/tenancy';
import { BILLING_SCHEMA_PLAN } from '../../migrations/billing-migrations';

/** Brings the `billing` schema up to date at start (idempotent; replicas serialise on a lock). */
@Injectable()
export class MigrateBillingSchemaUseCase implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.execute();
  }

  async execute(): Promise<string[]> {
    if (!this.dataSource.isInitialized) await this.dataSource.initialize();
    const applied = await migrateSchema(this.dataSource, BILLING_SCHEMA_PLAN);
    if (applied.length) this.logger.info({ applied }, 'Billing schema migrated');
    return applied;
  }
}
