import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createServiceApp } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import type { Logger } from '@parley/observability';
import { AppModule } from './app.module';
import { authSettings } from './auth-settings';

export async function createAuthApp(config: AppConfig, logger: Logger): Promise<INestApplication> {
  const hops = authSettings(config).trustProxyHops;
  const app = (await createServiceApp(AppModule.forRoot(config, logger), config, logger)) as NestExpressApplication;
  // req.ip, which the sign-in lockout counts per address: behind the gateway (1 hop), the address it forwards.
  app.set('trust proxy', hops > 0 ? hops : false);
  return app;
}
