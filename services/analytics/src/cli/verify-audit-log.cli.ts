import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { type DynamicModule, Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ConfigValidationError, loadConfig, type AppConfig } from '@parley/config';
import { createLogger, EXIT_CONFIG, NestPinoLogger, ObservabilityModule, type Logger } from '@parley/observability';
import { DATA_SOURCE, DatabaseModule, isTenantId, TenantContext } from '@parley/tenancy';
import { AuditLogRepository } from '../modules/audit-log/audit-log.repository';
import {
  VerifyAuditLogUseCase,
  type AuditVerification,
} from '../modules/audit-log/usecases/verify-audit-log/verify-audit-log.usecase';

const USAGE = `Usage: node services/analytics/dist/cli/verify-audit-log.cli.js [--tenant <id>] [--json]
       (npm run audit:verify -- [--tenant <id>] [--json])

Walks each tenant's audit log hash chain (or one tenant's) from its start and reports the first
broken link: the entry's seq, id and why (hash_mismatch: the entry was altered; prev_hash_mismatch:
an entry before it was altered or replaced; seq_gap: entries were removed or inserted).
Exit code: 0 when every chain verifies, 1 when any is broken, 64 on bad usage, 78 on bad config.`;

@Module({})
class VerifyCliModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: VerifyCliModule,
      imports: [ObservabilityModule.forRoot(config, logger), DatabaseModule.forRoot(config.database, 'audit-verify')],
      providers: [AuditLogRepository, VerifyAuditLogUseCase],
    };
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: { tenant: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
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
  if (args.tenant !== undefined && !isTenantId(args.tenant)) {
    process.stderr.write(`--tenant must be a tenant id (a lowercase UUID)\n${USAGE}\n`);
    return 64;
  }
  let config;
  try {
    config = loadConfig('analytics', process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_CONFIG;
    }
    throw error;
  }
  const logger = createLogger('audit-verify', 'warn');
  const app = await NestFactory.createApplicationContext(VerifyCliModule.forRoot(config, logger), {
    logger: new NestPinoLogger(logger),
  });
  try {
    const tenants = args.tenant
      ? [args.tenant]
      : (
          await app
            .get<DataSource>(DATA_SOURCE)
            .query<{ id: string }[]>('SELECT id FROM control.tenants WHERE purged_at IS NULL ORDER BY id')
        ).map((t) => t.id);
    const verify = app.get(VerifyAuditLogUseCase);
    const results: AuditVerification[] = [];
    for (const tenantId of tenants) {
      const result = await TenantContext.run(tenantId, () => verify.execute());
      results.push(result);
      if (!args.json) process.stdout.write(`${line(result)}\n`);
    }
    if (args.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return results.every((r) => r.ok) ? 0 : 1;
  } finally {
    await app.close();
  }
}

function line(r: AuditVerification): string {
  return r.ok
    ? `${r.tenantId}: ok (${r.checked} entries)`
    : `${r.tenantId}: BROKEN at seq ${r.firstBroken?.seq} (entry ${r.firstBroken?.id}): ${r.firstBroken?.reason}; ${r.checked} entries verify before it`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit verification failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
