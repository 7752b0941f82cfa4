import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import { PUBLIC_ROUTES, rawJsonPathPatterns } from '@parley/contracts';
import type { Logger } from '@parley/observability';
import { AppModule } from './app.module';
import { configureEdge } from './http/configure-edge';
import { setupApiDocs } from './modules/api-docs/setup-api-docs';
import { assertAuthMode } from './modules/auth/auth-mode';
import { rejectTenantHeader } from './modules/auth/reject-tenant-header.hook';
import { RealtimeEndpoint } from './modules/realtime/realtime.endpoint';
import { serveWebApp } from './modules/web-app/serve-web-app';

export async function createGatewayApp(config: AppConfig, logger: Logger): Promise<INestApplication> {
  assertAuthMode(config);
  if (!config.gateway) throw new Error('createGatewayApp needs the gateway configuration');
  // Raw JSON routes (a Stripe webhook, signed byte for byte) are read by the route relay, not parsed.
  const app = (await createServiceApp(AppModule.forRoot(config, logger), config, logger, {
    rawJsonPaths: rawJsonPathPatterns(PUBLIC_ROUTES),
    adapter: 'fastify',
    trustProxyHops: config.gateway.trustProxyHops,
  })) as NestFastifyApplication;
  configureEdge(app, config.gateway);
  app.getHttpAdapter().getInstance().addHook('onRequest', rejectTenantHeader);
  serveWebApp(app, config.gateway.webDistDir, logger);
  setupApiDocs(app);
  app.get(RealtimeEndpoint).attach(app.getHttpServer());
  return app;
}
