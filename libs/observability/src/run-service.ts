import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { ConfigValidationError, loadConfig, type AppConfig, type ServiceName } from '@parley/config';
import { createLogger, type Logger } from './logging/logger';
import { startTracing, stopTracing } from './tracing/tracing';

/**
 * Nothing a dependency does may end the process: a promise rejected with nobody listening (a slip
 * like the request/reply timer of issue 11) is logged at error level with an error id and the
 * process goes on. A synchronous uncaught exception leaves the process in an unknown state, so it
 * is logged the same way and then the process exits 1 (a supervisor restarts it).
 */
export function guardProcess(logger: Logger): void {
  process.on('unhandledRejection', (reason: unknown) => {
    logger.error({ err: reason, errorId: randomUUID() }, 'Unhandled promise rejection (process continues)');
  });
  process.on('uncaughtException', (error: Error, origin: string) => {
    logger.fatal({ err: error, origin, errorId: randomUUID() }, 'Uncaught exception; exiting');
    logger.flush();
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 200).unref();
  });
}

/** Exit code for a configuration error (EX_CONFIG from sysexits.h). */
export const EXIT_CONFIG = 78;

/**
 * The process edge of every service: validate config once (a bad variable stops the process with a
 * message naming it), start tracing, build the app, listen, and stop cleanly on SIGTERM/SIGINT
 * within the configured grace period.
 */
export async function runService(
  service: ServiceName,
  env: Record<string, string | undefined>,
  createApp: (config: AppConfig, logger: Logger) => Promise<INestApplication>,
): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(service, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
  startTracing(config.tracing);
  const logger = createLogger(service, config.logLevel);
  guardProcess(logger);
  if (config.internalAuth.development && config.nodeEnv === 'development') {
    logger.warn(
      'INTERNAL_AUTH_SECRET is not set: principals and service credentials are signed with the public ' +
        'development key. Set it (openssl rand -base64 32, the same on every service) anywhere but a development machine.',
    );
  }
  let app: INestApplication;
  try {
    app = await createApp(config, logger);
    await app.listen(config.port, config.host);
  } catch (error) {
    logger.fatal({ err: error }, 'Service failed to start');
    logger.flush();
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 200).unref();
    return;
  }
  logger.info(
    { host: config.host, port: config.port, mode: config.deploymentMode },
    `${service} listening on http://${config.host}:${config.port}`,
  );

  const stop = (signal: string) => {
    logger.info({ signal }, 'Shutting down');
    setTimeout(() => {
      logger.error({ graceMs: config.shutdownGraceMs }, 'Shutdown grace period exceeded; exiting');
      process.exit(1);
    }, config.shutdownGraceMs).unref();
    void app
      .close()
      .then(() => stopTracing())
      .then(() => logger.flush())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
