import pino, { type Logger } from 'pino';
import { RequestContext } from '../context/request-context';

export type { Logger } from 'pino';

const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'apiKey',
  '*.apiKey',
  '*.*.apiKey',
  'targets[*].apiKey',
  '*.targets[*].apiKey',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  '*.*.headers["x-api-key"]',
  '*.*.headers.authorization',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

/**
 * JSON logs with the service name and, from the current context, requestId, tenantId, userId and
 * messageId on every line. Secrets and tokens are redacted.
 */
export function createLogger(service: string, level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT, censor: '[redacted]' },
      mixin() {
        const ctx = RequestContext.current();
        if (!ctx) return {};
        return {
          requestId: ctx.requestId,
          ...(ctx.tenantId ? { tenantId: ctx.tenantId } : {}),
          ...(ctx.userId ? { userId: ctx.userId } : {}),
          ...(ctx.messageId ? { messageId: ctx.messageId } : {}),
        };
      },
    },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
