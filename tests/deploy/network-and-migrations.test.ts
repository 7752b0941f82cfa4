import { describe, expect, it } from 'vitest';
import {
  EXAMPLE_RENDERS,
  RENDERS,
  helm,
  named,
  ofKind,
  render,
  renderWith,
  templateArgs,
  type K8sObject,
} from './support/render';
import type { Job, NetworkPolicy, Workload } from './support/k8s-types';

const SERVICES = ['analytics', 'auth', 'billing', 'chat-orchestrator', 'gateway', 'stt', 'tenant'];
type Ingress = K8sObject & {
  spec: {
    ingressClassName: string;
    tls?: { hosts: string[]; secretName: string }[];
    rules: {
      host: string;
      http: { paths: { path: string; backend: { service: { name: string; port: { number: number } } } }[] };
    }[];
  };
};

describe.each(EXAMPLE_RENDERS)('NetworkPolicies (%s values)', (name) => {
  const policies = ofKind<NetworkPolicy>(render(name), 'NetworkPolicy');
  const policy = (policyName: string): NetworkPolicy => {
    const found = policies.find((p) => p.metadata.name === policyName);
    if (!found) throw new Error(`no NetworkPolicy ${policyName}`);
    return found;
  };

  it('deny all ingress to the release by default', () => {
    const deny = policy('parley-default-deny-ingress');
    expect(deny.spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'parley',
      'app.kubernetes.io/instance': 'parley',
    });
    expect(deny.spec.policyTypes).toEqual(['Ingress']);
    expect(deny.spec.ingress).toBeUndefined();
  });

  it('let only the ingress controller reach the gateway, and only the gateway reach the other services', () => {
    for (const svc of SERVICES) {
      const p = policy(`parley-${svc}-ingress`);
      expect(p.spec.podSelector.matchLabels?.['app.kubernetes.io/component']).toBe(svc);
      const peers = p.spec.ingress?.flatMap((rule) => rule.from ?? []) ?? [];
      const fromController = peers.some(
        (peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'ingress-nginx',
      );
      const fromGateway = peers.some(
        (peer) => peer.podSelector?.matchLabels?.['app.kubernetes.io/component'] === 'gateway',
      );
      expect(fromController, `${svc} reachable from the ingress controller`).toBe(svc === 'gateway');
      expect(fromGateway, `${svc} reachable from the gateway`).toBe(svc !== 'gateway');
      expect(p.spec.ingress?.flatMap((rule) => rule.ports ?? [])).toEqual([{ port: 'http', protocol: 'TCP' }]);
      // No peer may be "everything": an empty selector without a namespace would open the port to all.
      for (const peer of peers) expect(peer.podSelector ?? peer.namespaceSelector, svc).toBeDefined();
    }
  });

  it('let Prometheus scrape every service', () => {
    for (const svc of SERVICES) {
      const peers = policy(`parley-${svc}-ingress`).spec.ingress?.flatMap((rule) => rule.from ?? []) ?? [];
      expect(
        peers.some(
          (peer) =>
            peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'prometheus' && peer.namespaceSelector,
        ),
        svc,
      ).toBe(true);
    }
  });

  it('limit egress of the services and the migration Job to DNS, the release and the dependencies', () => {
    const egress = policy('parley-egress');
    expect(egress.spec.podSelector.matchExpressions?.[0]?.values.sort()).toEqual([...SERVICES, 'migrate'].sort());
    const rules = egress.spec.egress ?? [];
    expect(rules[0]?.ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
    const ports = rules.flatMap((r) => r.ports ?? []).map((p) => p.port);
    if (name === 'trial') {
      // Everything is bundled: reachable through the rule for the release's own pods.
      expect(
        rules.some((r) =>
          r.to?.some((peer) => peer.podSelector?.matchLabels?.['app.kubernetes.io/instance'] === 'parley'),
        ),
      ).toBe(true);
      expect(ports).toEqual([53, 53]);
    } else {
      // Every Kafka broker the services are given is reachable through the policy.
      const env = (named(render(name), 'Deployment', 'parley-auth') as Workload).spec.template.spec.containers[0]?.env;
      const brokers = env?.find((e) => e.name === 'KAFKA_BROKERS')?.value ?? '';
      const brokerPorts = brokers.split(',').map((b) => Number(b.slice(b.lastIndexOf(':') + 1)));
      expect(brokerPorts.length).toBeGreaterThan(0);
      expect(ports).toEqual(expect.arrayContaining(brokerPorts));
    }
  });
});

describe('bundled dependencies (trial values)', () => {
  const objects = render('trial');

  it('run as StatefulSets reachable only by the services and the migration Job', () => {
    expect(
      ofKind(objects, 'StatefulSet')
        .map((s) => s.metadata.name)
        .sort(),
    ).toEqual(['parley-kafka', 'parley-postgres', 'parley-redis']);
    for (const [dep, port] of [
      ['postgres', 5432],
      ['redis', 6379],
      ['kafka', 9092],
    ] as const) {
      const p = named(objects, 'NetworkPolicy', `parley-${dep}-ingress`) as NetworkPolicy;
      expect(p.spec.ingress?.[0]?.ports).toEqual([{ port, protocol: 'TCP' }]);
    }
  });

  it('are what the services connect to', () => {
    const env = (named(objects, 'Deployment', 'parley-auth') as Workload).spec.template.spec.containers[0]?.env ?? [];
    const byName = Object.fromEntries(env.map((e) => [e.name, e]));
    expect(byName.KAFKA_BROKERS?.value).toBe('parley-kafka:9092');
    expect(byName.REDIS_URL?.value).toBe('redis://parley-redis:6379');
    expect(byName.DATABASE_URL?.valueFrom?.secretKeyRef).toEqual({ name: 'parley-postgres', key: 'DATABASE_URL' });
  });

  it('are absent unless enabled', () => {
    expect(ofKind(render('default'), 'StatefulSet')).toEqual([]);
  });
});

describe('a Kafka broker port the egress policy does not open', () => {
  it('fails the render with a message', () => {
    const result = helm(templateArgs([], ['--set', 'kafka.brokers=kafka-a:9092\\,kafka-b:19092']));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(
      'kafka.brokers: port 19092 of kafka-b:19092 is not in networkPolicy.egress.dependencies.ports',
    );
  });
});

describe('Ingress', () => {
  it('is off by default', () => {
    expect(ofKind(render('default'), 'Ingress')).toEqual([]);
  });

  it('routes only to the gateway, with WebSocket/SSE settings and cert-manager TLS', () => {
    const ingress = named(render('cloud'), 'Ingress', 'parley') as Ingress;
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
      'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
      'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
      'cert-manager.io/cluster-issuer': 'letsencrypt-prod',
    });
    expect(ingress.spec.tls).toEqual([{ hosts: ['api.parley.example.com'], secretName: 'parley-api-tls' }]);
    const backends = ingress.spec.rules.flatMap((r) => r.http.paths.map((p) => p.backend.service));
    expect(backends).toEqual([{ name: 'parley-gateway', port: { number: 8000 } }]);
  });

  it('lets values add annotations without losing the stream settings', () => {
    const ingress = named(render('all-options'), 'Ingress', 'parley') as Ingress;
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/proxy-body-size': '25m',
      'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
      'cert-manager.io/cluster-issuer': 'letsencrypt-staging',
    });
  });
});

describe('migrations', () => {
  it.each(['default', 'cloud', 'self-hosted'] as const)(
    'run in a pre-install,pre-upgrade hook Job (%s values)',
    (name) => {
      const objects = render(name);
      const job = named(objects, 'Job', 'parley-migrate') as Job;
      expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      expect(job.metadata.annotations?.['helm.sh/hook-delete-policy']).toBe('before-hook-creation');
      const pod = job.spec.template.spec;
      const [container] = pod.containers;
      expect(container?.command).toEqual(['node', 'services/tenant/dist/migrate.cli.js']);
      expect(container?.image).toMatch(/\/parley-tenant:/);
      // A pre-install hook runs before the release's objects exist: it may not depend on any of them.
      expect(pod.serviceAccountName).toBe('default');
      const chartObjects = new Set(objects.filter((o) => o.kind !== 'Job').map((o) => `${o.kind}/${o.metadata.name}`));
      for (const e of container?.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef?.name;
        if (ref) expect(chartObjects.has(`Secret/${ref}`), `${e.name} refers to a Secret of the chart`).toBe(false);
      }
      // Same database, Redis and Kafka settings as the tenant service.
      const tenant = (named(objects, 'Deployment', 'parley-tenant') as Workload).spec.template.spec.containers[0];
      expect(container?.env).toEqual(tenant?.env);
    },
  );

  it('with bundled dependencies: a plain Job on install (they do not exist before), the hook on upgrade', () => {
    const install = ofKind<Job>(render('trial'), 'Job');
    expect(install.map((j) => j.metadata.name)).toEqual(['parley-migrate-install']);
    expect(install[0]?.metadata.annotations?.['helm.sh/hook']).toBeUndefined();
    // Retried while the bundled Postgres starts.
    expect(install[0]?.spec.backoffLimit).toBeGreaterThanOrEqual(8);
    const upgrade = ofKind<Job>(renderWith(RENDERS.trial, ['--is-upgrade']), 'Job');
    expect(upgrade.map((j) => j.metadata.name)).toEqual(['parley-migrate']);
    expect(upgrade[0]?.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
  });

  it('never run on service start in Kubernetes', () => {
    for (const name of EXAMPLE_RENDERS) {
      const tenant = (named(render(name), 'Deployment', 'parley-tenant') as Workload).spec.template.spec.containers[0];
      expect(tenant?.env?.find((e) => e.name === 'MIGRATE_ON_START')?.value, name).toBe('false');
    }
  });

  it('take resume flags from values', () => {
    const job = named(render('all-options'), 'Job', 'parley-migrate') as Job;
    expect(job.spec.template.spec.containers[0]?.args).toEqual(['--from', '00000000-0000-0000-0000-000000000000']);
  });
});
