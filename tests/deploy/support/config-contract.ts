import { DEFAULT_PORTS, SERVICE_NAMES, serviceEnvSchema, type ServiceName } from '@parley/config';

export { DEFAULT_PORTS, SERVICE_NAMES, type ServiceName };

/**
 * Variables a container may carry that the services' config schema does not list: the OpenTelemetry
 * SDK's own OTEL_* variables and Node's runtime variables.
 */
const RUNTIME_ENV = [/^OTEL_[A-Z0-9_]+$/, /^NODE_EXTRA_CA_CERTS$/, /^NODE_OPTIONS$/, /^FEATURE_[A-Z0-9_]+$/];

/** Stand-ins for values that come from Secrets, in the shape the schema expects. */
const SECRET_PLACEHOLDERS: Record<string, string> = {
  DATABASE_URL: 'postgres://parley:placeholder@postgres.example:5432/parley',
  REDIS_URL: 'redis://:placeholder@redis.example:6379/0',
  KAFKA_SASL_USERNAME: 'parley',
  KAFKA_SASL_PASSWORD: 'placeholder',
  AUTH_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  CHAT_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  STT_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 13).toString('base64'),
  INTERNAL_AUTH_SECRET: Buffer.alloc(32, 11).toString('base64'),
};

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

export function schemaKeys(service: ServiceName): string[] {
  return Object.keys(serviceEnvSchema(service).shape);
}

/** Variables the service cannot start without (no default, not optional). */
export function requiredKeys(service: ServiceName): string[] {
  const shape = serviceEnvSchema(service).shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  return Object.entries(shape)
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([key]) => key);
}

/**
 * Problems of one container environment against the service's config schema: variables the service
 * does not know, required ones missing, and values the schema rejects (secrets replaced by stand-ins).
 * `fromSecret` lists the variables whose value comes from a Secret.
 */
export function envProblems(service: ServiceName, env: Record<string, string>, fromSecret: string[] = []): string[] {
  const known = new Set(schemaKeys(service));
  const problems: string[] = [];
  const names = [...Object.keys(env), ...fromSecret];
  for (const name of names) {
    if (!known.has(name) && !RUNTIME_ENV.some((re) => re.test(name))) {
      problems.push(`${service}: ${name} is not a variable of the ${service} service`);
    }
  }
  for (const name of requiredKeys(service)) {
    if (!names.includes(name)) problems.push(`${service}: required ${name} is not set`);
  }
  const values: Record<string, string> = { ...env };
  // A compose value `${NAME:?message}` is supplied by the operator at `docker compose up`: check the stand-in.
  for (const [name, value] of Object.entries(env)) {
    if (/^\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}$/.test(value)) {
      const placeholder = SECRET_PLACEHOLDERS[name];
      if (placeholder === undefined) problems.push(`${service}: no stand-in for the operator-supplied ${name}`);
      else values[name] = placeholder;
    }
  }
  for (const name of fromSecret) {
    const placeholder = SECRET_PLACEHOLDERS[name];
    if (placeholder === undefined) problems.push(`${service}: no stand-in for the secret ${name}`);
    else values[name] = placeholder;
  }
  const parsed = serviceEnvSchema(service).safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${service}: ${issue.path.join('.')} ${issue.message}`);
  }
  return problems;
}
