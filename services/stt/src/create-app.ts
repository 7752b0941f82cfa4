import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import type { Logger } from '@parley/observability';
import { AppModule } from './app.module';
import { SttStreamEndpoint } from './modules/streaming/stt-stream.endpoint';

export async function createSttApp(config: AppConfig, logger: Logger): Promise<INestApplication> {
  const app = await createServiceApp(AppModule.forRoot(config, logger), config, logger);
  app.get(SttStreamEndpoint).attach(app.getHttpServer() as Server);
  return app;
}
