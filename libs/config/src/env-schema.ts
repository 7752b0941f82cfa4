import { z } from 'zod';
import { bool, int } from './env-fields';
import { gatewayShape } from './gateway-env';
import { DATABASE_SERVICES, DEFAULT_PORTS, type ServiceName } from './service-name';

const url = (protocols: readonly string[], hint: string) =>
  z
    .string({ message: `is required (${hint})` })
    .min(1, `is required (${hint})`)
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `must be a URL like ${hint}`);

const brokers = z
  .string({ message: 'is required (host:port[,host:port])' })
  .min(1, 'is required (host:port[,host:port])')
  .refine(
    (value) => value.split(',').every((b) => /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(b.trim())),
    'must be a comma-separated list of host:port',
  );

/** Variables every service reads. */
const baseShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  DEPLOYMENT_MODE: z.enum(['self-hosted', 'cloud']).default('self-hosted'),
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://host:6379'),
  KAFKA_BROKERS: brokers,
  KAFKA_SSL: bool(false),
  KAFKA_SASL_MECHANISM: z.enum(['none', 'plain', 'scram-sha-256', 'scram-sha-512']).default('none'),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'may only contain letters, digits, ".", "_" and "-"')
    .default(''),
  KAFKA_TOPIC_PARTITIONS: int(3, 1, 1000),
  KAFKA_TOPIC_REPLICATION_FACTOR: int(1, 1, 10),
  BUS_MAX_RETRIES: int(3, 0, 20),
  BUS_RETRY_BACKOFF_MS: int(100, 0, 60_000),
  BUS_REQUEST_TIMEOUT_MS: int(5000, 50, 300_000),
  BUS_FETCH_MAX_WAIT_MS: int(100, 1, 10_000),
  HTTP_BODY_LIMIT_BYTES: int(1_048_576, 1024, 100 * 1_048_576),
  SHUTDOWN_GRACE_MS: int(10_000, 0, 300_000),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
};

const databaseShape = {
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://user:pass@host:5432/db'),
  DATABASE_POOL_MAX: int(10, 1, 500),
  DATABASE_SSL: bool(false),
};

const tenantShape = {
  MIGRATE_ON_START: bool(true),
  DEFAULT_TENANT_SLUG: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a lowercase slug')
    .default('default'),
  DEFAULT_TENANT_NAME: z.string().min(1).max(200).default('Default'),
};

/** base64 of exactly 32 bytes, as `openssl rand -base64 32` prints it. */
const base64Key32 = z
  .string()
  .refine(
    (value) => /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32,
    'must be base64 of 32 bytes (openssl rand -base64 32)',
  );

/** Access-token issuer and audience: auth signs tokens with them, the gateway checks them. */
const jwtShape = {
  JWT_ISSUER: z.string().min(1).max(200).default('parley'),
  JWT_AUDIENCE: z.string().min(1).max(200).default('parley-api'),
};

/** Variables only the auth service reads. */
const authShape = {
  ACCESS_TOKEN_TTL_SECONDS: int(900, 30, 86_400),
  REFRESH_TOKEN_TTL_SECONDS: int(2_592_000, 300, 31_536_000),
  AUTH_KEY_ENCRYPTION_KEY: base64Key32.optional(),
};

const JWT_SERVICES: readonly ServiceName[] = ['auth', 'gateway'];

function withPort(service: ServiceName) {
  return { PORT: int(DEFAULT_PORTS[service], 0, 65_535) }; // 0: any free port (tests)
}

/** Every variable a service reads: the shared ones plus its own sections. */
function shapeOf(service: ServiceName) {
  return {
    ...baseShape,
    ...withPort(service),
    ...(DATABASE_SERVICES.includes(service) ? databaseShape : {}),
    ...(service === 'tenant' ? tenantShape : {}),
    ...(service === 'gateway' ? gatewayShape : {}),
    ...(JWT_SERVICES.includes(service) ? jwtShape : {}),
    ...(service === 'auth' ? authShape : {}),
  };
}

function buildSchema(service: ServiceName) {
  return z.object(shapeOf(service)).superRefine((env, ctx) => {
    if (env.KAFKA_SASL_MECHANISM !== 'none') {
      for (const key of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
        if (!env[key]) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `is required when KAFKA_SASL_MECHANISM is ${env.KAFKA_SASL_MECHANISM}`,
          });
        }
      }
    }
    if (service === 'auth') refineAuth(env, ctx);
  });
}

/** The key-encryption key is required in production; refresh tokens outlive access tokens. */
function refineAuth(env: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (env.NODE_ENV === 'production' && env.AUTH_KEY_ENCRYPTION_KEY === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_KEY_ENCRYPTION_KEY'],
      message: 'is required when NODE_ENV is production (base64 of 32 bytes: openssl rand -base64 32)',
    });
  }
  if (Number(env.REFRESH_TOKEN_TTL_SECONDS) <= Number(env.ACCESS_TOKEN_TTL_SECONDS)) {
    ctx.addIssue({
      code: 'custom',
      path: ['REFRESH_TOKEN_TTL_SECONDS'],
      message: 'must be longer than ACCESS_TOKEN_TTL_SECONDS',
    });
  }
}

export type ServiceEnvSchema = ReturnType<typeof buildSchema>;

/** The zod schema of one service's environment; `Object.keys(serviceEnvShape(name))` lists its variables. */
export function serviceEnvSchema(service: ServiceName): ServiceEnvSchema {
  return buildSchema(service);
}

export function serviceEnvShape(service: ServiceName): Record<string, z.ZodType> {
  return shapeOf(service);
}

/** Variables a service refuses to start without. */
export function requiredEnvVars(service: ServiceName): string[] {
  return Object.entries(serviceEnvShape(service))
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([key]) => key);
}
