import type { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import type { Logger } from '@parley/observability';
import { AppModule } from './app.module';

export function createBillingApp(config: AppConfig, logger: Logger): Promise<INestApplication> {
  return createServiceApp(AppModule.forRoot(config, logger), config, logger);
}
