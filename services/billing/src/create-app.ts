import type { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import type { Logger } from '@parley/observability';
import { AppModule } from './app.module';
import { captureRawWebhookBody } from './modules/webhooks/raw-webhook-body';

export async function createBillingApp(config: AppConfig, logger: Logger): Promise<INestApplication> {
  const app = await createServiceApp(AppModule.forRoot(config, logger), config, logger);
  captureRawWebhookBody(app);
  return app;
}
