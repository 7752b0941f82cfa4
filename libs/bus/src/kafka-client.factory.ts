import { Kafka, logLevel, type KafkaConfig as KafkaJsConfig, type SASLOptions } from 'kafkajs';
import type { KafkaConfig } from '@parley/config';
import type { Logger } from '@parley/observability';
import { applyKafkaJsIdleFix } from './kafkajs-idle-fix';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs retry options of connections and consumers' fetch loops: ride out an outage rather than crash (KAFKA_RETRIES). */
export function consumerRetry(config: KafkaConfig): {
  retries: number;
  initialRetryTime: number;
  maxRetryTime: number;
} {
  return { retries: config.retries, initialRetryTime: 100, maxRetryTime: config.retryMaxMs };
}

/** A kafkajs client from validated config, logging through pino. */
export function createKafkaClient(config: KafkaConfig, logger: Logger, clientIdSuffix = ''): Kafka {
  applyKafkaJsIdleFix();
  const options: KafkaJsConfig = {
    clientId: `${config.clientId}${clientIdSuffix}`,
    brokers: config.brokers,
    ssl: config.ssl,
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    // Connections and metadata (every client's cluster) ride out an outage of ~KAFKA_RETRIES
    // seconds: a consumer whose cluster gives up crashes, and its restart is a new group member
    // that waits for the old one's session. maxRetryTime bounds how long after the broker is back
    // a retry notices.
    retry: consumerRetry(config),
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }) => {
        const { message, ...rest } = log;
        // Group coordinator churn during rebalances is expected noise at WARN; keep it at debug.
        const method = /rebalanc|coordinator|idempotent producer may invalidate/i.test(
          `${String(message)} ${String(rest.error ?? '')}`,
        )
          ? 'debug'
          : (LEVELS[level] ?? 'info');
        logger[method]({ kafka: rest }, `kafkajs: ${String(message)}`);
      },
  };
  if (config.sasl) options.sasl = { ...config.sasl } as SASLOptions;
  return new Kafka(options);
}
