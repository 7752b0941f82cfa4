import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigValidationError, loadConfig } from '@parley/config';
import { createLogger, EXIT_CONFIG, NestPinoLogger, ObservabilityModule } from '@parley/observability';
import { DatabaseModule, TENANT_MIGRATIONS, TenantMigrationRunner, DATA_SOURCE } from '@parley/tenancy';
import type { DataSource } from 'typeorm';
import { MigrateAllUseCase } from './modules/schema-migrations/usecases/migrate-all/migrate-all.usecase';

const USAGE = `Usage: node services/tenant/dist/migrate.cli.js [--tenant <id|slug>] [--from <id|slug>] [--dry-run] [--json]

Runs the control-plane migrations, then the per-tenant migrations over every tenant schema,
one transaction per tenant. Re-run to resume: tenants already up to date are skipped.
Exit code: 0 when every tenant is up to date, 1 when any failed, 64 on bad usage, 78 on bad config.
Migrations known: ${TENANT_MIGRATIONS.map((m) => m.name).join(', ')}`;

@Module({})
class MigrateCliModule {
  static forRoot(config: ReturnType<typeof loadConfig>, logger: ReturnType<typeof createLogger>): DynamicModule {
    return {
      module: MigrateCliModule,
      imports: [ObservabilityModule.forRoot(config, logger), DatabaseModule.forRoot(config.database, 'tenant-migrate')],
      providers: [
        MigrateAllUseCase,
        {
          provide: TenantMigrationRunner,
          inject: [DATA_SOURCE],
          useFactory: (ds: DataSource) => new TenantMigrationRunner(ds),
        },
      ],
    };
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        tenant: { type: 'string' },
        from: { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 64;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let config;
  try {
    config = loadConfig('tenant', process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_CONFIG;
    }
    throw error;
  }
  const logger = createLogger('tenant-migrate', config.logLevel === 'info' ? 'warn' : config.logLevel);
  const app = await NestFactory.createApplicationContext(MigrateCliModule.forRoot(config, logger), {
    logger: new NestPinoLogger(logger),
  });
  try {
    const { control, tenants } = await app.get(MigrateAllUseCase).execute({
      tenant: args.tenant,
      from: args.from,
      dryRun: args['dry-run'],
      onProgress: args.json
        ? undefined
        : (r, i, total) =>
            process.stdout.write(
              `[${i + 1}/${total}] ${r.slug} (${r.tenantId}): ${r.status}` +
                `${r.applied.length ? ` applied ${r.applied.join(', ')}` : ''}${r.status === 'pending' ? ` would apply ${r.pending.join(', ')}` : ''}` +
                `${r.error ? ` — ${r.failedMigration ?? ''}: ${r.error}` : ''}\n`,
            ),
    });
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ control, tenants }, null, 2)}\n`);
    } else {
      process.stdout.write(
        `control plane: ${control.length ? `applied ${control.join(', ')}` : 'up to date'}${tenants.dryRun ? ' (dry run: not checked)' : ''}\n` +
          `tenants: ${tenants.total} total, ${tenants.migrated} migrated, ${tenants.upToDate} up to date, ` +
          `${tenants.pending} pending, ${tenants.failed} failed in ${tenants.durationMs} ms\n`,
      );
      const firstFailed = tenants.results.find((r) => r.status === 'failed');
      if (firstFailed) process.stdout.write(`resume with: --from ${firstFailed.tenantId}\n`);
    }
    return tenants.failed > 0 ? 1 : 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`migration failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
