import { describe, expect, it } from 'vitest';
import { RENDER_NAMES, EXAMPLE_RENDERS, ofKind, render, type K8sObject } from './support/render';
import {
  podTemplates,
  selects,
  type Container,
  type Hpa,
  type Pdb,
  type Service,
  type Workload,
} from './support/k8s-types';

const SECRET_LIKE = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE|CREDENTIAL|_KEY$|_DSN$|^DATABASE_URL$|^REDIS_URL$)/;

function containers(objects: K8sObject[]): { owner: string; kind: string; container: Container }[] {
  return podTemplates(objects).flatMap(({ owner, kind, spec }) =>
    [...(spec.initContainers ?? []), ...spec.containers].map((container) => ({ owner, kind, container })),
  );
}

describe.each(RENDER_NAMES)('workload policy (%s values)', (name) => {
  const objects = render(name);
  const deployments = ofKind<Workload>(objects, 'Deployment');

  it('every container has cpu and memory requests and limits', () => {
    for (const { owner, container } of containers(objects)) {
      for (const kind of ['requests', 'limits'] as const) {
        expect(container.resources?.[kind]?.cpu, `${owner} ${container.name} ${kind}.cpu`).toBeDefined();
        expect(container.resources?.[kind]?.memory, `${owner} ${container.name} ${kind}.memory`).toBeDefined();
      }
    }
  });

  it('every long-running container has liveness and readiness probes', () => {
    for (const { owner, kind, container } of containers(objects)) {
      if (kind === 'Job') continue;
      expect(container.livenessProbe, `${owner} ${container.name} livenessProbe`).toBeDefined();
      expect(container.readinessProbe, `${owner} ${container.name} readinessProbe`).toBeDefined();
    }
  });

  it('service probes hit /health/live and /health/ready', () => {
    expect(deployments.length).toBeGreaterThan(0);
    for (const d of deployments) {
      const [c] = d.spec.template.spec.containers;
      expect(c?.livenessProbe?.httpGet?.path, d.metadata.name).toBe('/health/live');
      expect(c?.startupProbe?.httpGet?.path, d.metadata.name).toBe('/health/live');
      expect(c?.readinessProbe?.httpGet?.path, d.metadata.name).toBe('/health/ready');
    }
  });

  it('every pod runs non-root with a read-only root filesystem, no privilege escalation, no capabilities', () => {
    for (const { owner, spec } of podTemplates(objects)) {
      expect(spec.securityContext?.seccompProfile?.type, `${owner} seccomp`).toBe('RuntimeDefault');
      expect(spec.securityContext?.runAsUser, `${owner} runAsUser`).not.toBe(0);
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        const sc = c.securityContext;
        expect(sc?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot, `${owner} ${c.name} runAsNonRoot`).toBe(true);
        expect(sc?.readOnlyRootFilesystem, `${owner} ${c.name} readOnlyRootFilesystem`).toBe(true);
        expect(sc?.allowPrivilegeEscalation, `${owner} ${c.name} allowPrivilegeEscalation`).toBe(false);
        expect(sc?.privileged ?? false, `${owner} ${c.name} privileged`).toBe(false);
        expect(sc?.capabilities?.drop, `${owner} ${c.name} capabilities.drop`).toContain('ALL');
        expect(sc?.capabilities?.add ?? [], `${owner} ${c.name} capabilities.add`).toEqual([]);
        expect(
          c.volumeMounts?.map((m) => m.mountPath),
          `${owner} ${c.name} writable /tmp`,
        ).toContain('/tmp');
      }
    }
  });

  it('every image is pinned by tag or digest, never latest', () => {
    for (const { owner, container } of containers(objects)) {
      expect(container.image, `${owner} ${container.name}`).toMatch(/(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/);
      expect(container.image, `${owner} ${container.name}`).not.toMatch(/:latest(@|$)/);
    }
  });

  it('every Deployment has an autoscaling/v2 HPA on CPU, or fixed replicas', () => {
    const hpas = ofKind<Hpa>(objects, 'HorizontalPodAutoscaler');
    for (const d of deployments) {
      const hpa = hpas.find(
        (h) => h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === d.metadata.name,
      );
      if (name === 'all-options' && d.metadata.name === 'parley-auth') {
        // The fixture turns autoscaling off for one service: then the replica count is fixed.
        expect(hpa).toBeUndefined();
        expect(d.spec.replicas).toBe(3);
        continue;
      }
      expect(hpa, `HPA for ${d.metadata.name}`).toBeDefined();
      expect(hpa?.apiVersion).toBe('autoscaling/v2');
      expect(hpa?.spec.minReplicas).toBeGreaterThanOrEqual(1);
      expect(hpa?.spec.maxReplicas).toBeGreaterThanOrEqual(hpa?.spec.minReplicas ?? Infinity);
      expect(hpa?.spec.metrics.some((m) => m.type === 'Resource' && m.resource?.name === 'cpu')).toBe(true);
      // The HPA owns the replica count: the Deployment must not reset it on every upgrade.
      expect(d.spec.replicas, `${d.metadata.name} replicas`).toBeUndefined();
    }
  });

  it('every Deployment has a PodDisruptionBudget selecting its pods that never blocks drains of one replica', () => {
    const pdbs = ofKind<Pdb>(objects, 'PodDisruptionBudget');
    for (const d of deployments) {
      const matching = pdbs.filter((p) => selects(p.spec.selector, d.spec.template.metadata.labels));
      expect(matching, `PDB for ${d.metadata.name}`).toHaveLength(1);
      expect(matching[0]?.spec.maxUnavailable, d.metadata.name).toBeGreaterThanOrEqual(1);
    }
  });

  it('every Deployment has a Service on its http port and spreads its replicas', () => {
    const services = ofKind<Service>(objects, 'Service');
    for (const d of deployments) {
      const pod = d.spec.template;
      const svc = services.find((s) => selects(s.spec.selector, pod.metadata.labels));
      const port = pod.spec.containers[0]?.ports?.find((p) => p.name === 'http')?.containerPort;
      expect(svc, `Service for ${d.metadata.name}`).toBeDefined();
      expect(svc?.spec.ports[0]?.port).toBe(port);
      expect(
        pod.spec.affinity?.podAntiAffinity ?? (name === 'all-options' ? {} : undefined),
        d.metadata.name,
      ).toBeDefined();
      if (name !== 'trial') {
        expect(pod.spec.topologySpreadConstraints?.map((t) => t.topologyKey)).toEqual([
          'topology.kubernetes.io/zone',
          'kubernetes.io/hostname',
        ]);
      }
      expect(pod.spec.automountServiceAccountToken).toBe(false);
      expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(10);
    }
  });

  it('secrets are only referenced (secretKeyRef), never inlined', () => {
    for (const { owner, container } of containers(objects)) {
      for (const env of container.env ?? []) {
        if (!SECRET_LIKE.test(env.name)) continue;
        if (env.name === 'REDIS_URL' && name === 'trial') {
          // The bundled trial Redis has no password: its URL is not a secret.
          expect(env.value).toMatch(/^redis:\/\/parley-redis:6379$/);
          continue;
        }
        expect(env.value, `${owner} ${env.name} must not be inlined`).toBeUndefined();
        expect(env.valueFrom?.secretKeyRef?.name, `${owner} ${env.name} secretKeyRef`).toBeTruthy();
      }
    }
  });
});

describe('Secrets in the rendered output', () => {
  it.each(EXAMPLE_RENDERS.filter((n) => n !== 'trial'))('the %s render holds no Secret object at all', (name) => {
    expect(ofKind(render(name), 'Secret')).toEqual([]);
  });

  it('the fixture referencing every kind of secret holds none either', () => {
    const objects = render('all-options');
    expect(ofKind(objects, 'Secret')).toEqual([]);
    const text = JSON.stringify(objects);
    for (const ref of ['parley-stripe', 'parley-jwt', 'parley-kafka', 'parley-private-ca']) expect(text).toContain(ref);
  });

  it('the generated trial database password is only in its own Secret', () => {
    const objects = render('trial');
    const secrets = ofKind(objects, 'Secret');
    expect(secrets.map((s) => s.metadata.name)).toEqual(['parley-postgres']);
    const password = (secrets[0] as K8sObject & { stringData: Record<string, string> }).stringData.POSTGRES_PASSWORD;
    expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
    const elsewhere = objects.filter((o) => o.kind !== 'Secret' && JSON.stringify(o).includes(password ?? '<none>'));
    expect(elsewhere.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
  });
});
