import 'reflect-metadata';
import { ConfigValidationError } from '@parley/config';
import { EXIT_CONFIG, runService } from '@parley/observability';
import { createGatewayApp } from './create-app';

void runService('gateway', process.env, (config, logger) =>
  createGatewayApp(config, logger).catch((error: unknown) => {
    // A rule across variables (AUTH_REQUIRED with DEPLOYMENT_MODE) stops the gateway like any bad config.
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }),
);
