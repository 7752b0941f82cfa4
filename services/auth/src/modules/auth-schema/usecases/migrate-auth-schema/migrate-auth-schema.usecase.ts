import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { LOGGER, type Logger } from '@parley/observability';
import { DATA_SOURCE } from '@parley/tenancy';
import { AUTH_SCHEMA_PLAN } from '../../migrations/auth-migrations';
import { migrateSchema } from '@parley/tenancy';

/** Brings the `auth` schema up to date at start (idempotent; replicas serialise on a lock). */
@Injectable()
export class MigrateAuthSchemaUseCase implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.execute();
  }

  async execute(): Promise<string[]> {
    if (!this.dataSource.isInitialized) await this.dataSource.initialize();
    const applied = await migrateSchema(this.dataSource, AUTH_SCHEMA_PLAN);
    if (applied.length) this.logger.info({ applied }, 'Auth schema migrated');
    return applied;
  }
}
