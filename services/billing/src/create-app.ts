import type { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import { PUBLIC_ROUTES, rawJsonUpstreamBodies } from '@parley/contracts';
import type { Logger } from '@parley/observability';
import { AppModule } from './app.module';

/**
 * The Stripe webhook's body reaches its handler as the bytes Stripe signed (`req.rawBody`, at most
 * the route table's limit, else 413), never parsed.
 */
export async function createBillingApp(config: AppConfig, logger: Logger): Promise<INestApplication> {
  return createServiceApp(AppModule.forRoot(config, logger), config, logger, {
    rawBodyPaths: rawJsonUpstreamBodies(PUBLIC_ROUTES, 'billing'),
  });
}
