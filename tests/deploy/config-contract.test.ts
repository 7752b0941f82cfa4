import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  DEFAULT_PORTS,
  SERVICE_NAMES,
  envProblems,
  isServiceName,
  requiredKeys,
  schemaKeys,
} from './support/config-contract';
import { EXAMPLE_RENDERS, ofKind, render } from './support/render';
import type { Job, Workload } from './support/k8s-types';
import { ROOT } from './support/tools';

describe('the config schemas the checks rely on', () => {
  it('list seven services with their ports and required variables', () => {
    expect([...SERVICE_NAMES].sort()).toEqual([
      'analytics',
      'auth',
      'billing',
      'chat-orchestrator',
      'gateway',
      'stt',
      'tenant',
    ]);
    expect(DEFAULT_PORTS.gateway).toBe(8000);
    expect(requiredKeys('gateway')).toEqual(expect.arrayContaining(['REDIS_URL', 'KAFKA_BROKERS']));
    expect(requiredKeys('gateway')).not.toContain('DATABASE_URL');
    expect(requiredKeys('tenant')).toContain('DATABASE_URL');
    expect(schemaKeys('tenant')).toContain('MIGRATE_ON_START');
  });

  it('catch an unknown variable, a missing required one and a bad value', () => {
    const problems = envProblems('auth', {
      KAFKA_BROKERS: 'not a broker list',
      REDIS_URL: 'redis://r:6379',
      DATABSE_URL: 'x',
    });
    expect(problems.join('\n')).toContain('DATABSE_URL is not a variable of the auth service');
    expect(problems.join('\n')).toContain('required DATABASE_URL is not set');
    expect(problems.join('\n')).toContain('KAFKA_BROKERS must be a comma-separated list of host:port');
  });
});

describe.each(EXAMPLE_RENDERS)('the chart sets exactly the services’ configuration (%s values)', (name) => {
  const objects = render(name);

  it('every service gets known variables, all required ones, valid values and its own port', () => {
    const deployments = ofKind<Workload>(objects, 'Deployment');
    expect(deployments.map((d) => d.metadata.labels?.['app.kubernetes.io/component']).sort()).toEqual(
      [...SERVICE_NAMES].sort(),
    );
    for (const d of deployments) {
      const service = d.metadata.labels?.['app.kubernetes.io/component'] ?? '';
      if (!isServiceName(service)) throw new Error(`${d.metadata.name} is not a Parley service`);
      const container = d.spec.template.spec.containers[0];
      const plain = Object.fromEntries(
        (container?.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value ?? '']),
      );
      const fromSecret = (container?.env ?? []).filter((e) => e.valueFrom).map((e) => e.name);
      expect(envProblems(service, plain, fromSecret)).toEqual([]);
      expect(plain.PORT).toBe(String(DEFAULT_PORTS[service]));
      expect(container?.ports?.[0]?.containerPort).toBe(DEFAULT_PORTS[service]);
      expect(plain.HOST).toBe('0.0.0.0');
    }
  });

  it('the migration Job gets a valid tenant configuration', () => {
    const [job, ...others] = ofKind<Job>(objects, 'Job');
    expect(others).toEqual([]);
    expect(job?.metadata.labels?.['app.kubernetes.io/component']).toBe('migrate');
    const container = job?.spec.template.spec.containers[0];
    const plain = Object.fromEntries(
      (container?.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value ?? '']),
    );
    const fromSecret = (container?.env ?? []).filter((e) => e.valueFrom).map((e) => e.name);
    expect(envProblems('tenant', plain, fromSecret)).toEqual([]);
  });
});

describe('docker/compose.yaml sets exactly the services’ configuration', () => {
  interface ComposeService {
    image?: string;
    build?: { context: string; dockerfile: string; args?: Record<string, string> };
    command?: string[];
    environment?: Record<string, string | number | boolean>;
    ports?: string[];
    depends_on?: Record<string, { condition: string }>;
    healthcheck?: { test: string[] };
  }
  const compose = parse(readFileSync(path.join(ROOT, 'docker/compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  // Compose interpolation: ${VAR:-default} takes its default when VAR is unset.
  const interpolate = (value: string | number | boolean): string =>
    String(value).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, (_, fallback: string) => fallback);
  const envOf = (svc: ComposeService): Record<string, string> =>
    Object.fromEntries(Object.entries(svc.environment ?? {}).map(([k, v]) => [k, interpolate(v)]));

  it('runs all seven services, built from docker/Dockerfile with their name and port', () => {
    for (const service of SERVICE_NAMES) {
      const svc = compose.services[service];
      expect(svc, service).toBeDefined();
      expect(svc?.build).toEqual({
        context: '..',
        dockerfile: 'docker/Dockerfile',
        args: { SERVICE: service, PORT: String(DEFAULT_PORTS[service]) },
      });
      expect(svc?.image).toBe(`parley-${service}:0.1.0`);
    }
  });

  it.each([...SERVICE_NAMES])('%s: known variables, all required ones, valid values', (service) => {
    const svc = compose.services[service];
    if (!svc) throw new Error(`no compose service ${service}`);
    const env = envOf(svc);
    expect(envProblems(service, env)).toEqual([]);
    expect(env.PORT).toBe(String(DEFAULT_PORTS[service]));
    expect(env.HOST).toBe('0.0.0.0');
  });

  it('publishes only the gateway, on 8000', () => {
    const published = Object.entries(compose.services).filter(([, s]) => s.ports?.length);
    expect(published.map(([n, s]) => [n, s.ports])).toEqual([['gateway', ['8000:8000']]]);
  });

  it('migrates first: every service waits for the one-shot migrate service to succeed', () => {
    const migrate = compose.services.migrate;
    expect(migrate?.command).toEqual(['node', 'services/tenant/dist/migrate.cli.js']);
    expect(envProblems('tenant', envOf(migrate ?? {}))).toEqual([]);
    for (const service of SERVICE_NAMES) {
      expect(compose.services[service]?.depends_on?.migrate, service).toEqual({
        condition: 'service_completed_successfully',
      });
    }
    expect(envOf(compose.services.tenant ?? {}).MIGRATE_ON_START).toBe('false');
  });

  it('runs Postgres, Redis and Kafka in KRaft mode with pinned images and health checks', () => {
    const { postgres, redis, kafka } = compose.services;
    expect(postgres?.image).toMatch(/^postgres:\d+\.\d+/);
    expect(redis?.image).toMatch(/^redis:\d+\.\d+\.\d+/);
    expect(kafka?.image).toMatch(/^apache\/kafka:\d+\.\d+\.\d+$/);
    expect(kafka?.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    for (const dep of [postgres, redis, kafka]) expect(dep?.healthcheck?.test.length).toBeGreaterThan(0);
    // The services reach exactly these.
    const env = envOf(compose.services.auth ?? {});
    expect(env.KAFKA_BROKERS).toBe('kafka:9092');
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(new URL(env.DATABASE_URL ?? '').host).toBe('postgres:5432');
  });

  it('names no image without a pinned tag', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      expect(svc.image, name).toMatch(/^[^\s:]+(\/[^\s:]+)*:[\w][\w.-]*$/);
      expect(svc.image, name).not.toMatch(/:latest$/);
    }
  });
});
