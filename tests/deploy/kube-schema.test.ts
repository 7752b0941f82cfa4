import { beforeAll, describe, expect, it } from 'vitest';
import { crdcheck } from './support/crdcheck';
import { KubeSchemaValidator } from './support/kube-schema';
import { RENDER_NAMES, render, type K8sObject } from './support/render';
import { deployTools } from './support/tools';

const CRD_GROUPS = ['monitoring.coreos.com/'];
const isCustomResource = (o: K8sObject): boolean => CRD_GROUPS.some((g) => o.apiVersion.startsWith(g));

let validator: KubeSchemaValidator;

beforeAll(() => {
  const tools = deployTools();
  expect(tools.kubeVersion).toBe('1.37.0');
  validator = new KubeSchemaValidator(tools.kubeSchemas);
});

describe('the validators themselves', () => {
  const deployment = (): K8sObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'probe' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } },
    },
  });

  it('accept a minimal valid object', () => {
    expect(validator.validate(deployment())).toEqual([]);
  });

  // Field-value enums (imagePullPolicy, Service type...) are not in the OpenAPI v2 definitions these
  // schemas come from; the policy tests check the values that matter.
  it('reject an unknown field, a wrong type and a missing required field', () => {
    const obj = deployment() as K8sObject & {
      spec: Record<string, unknown> & { template: { spec: { containers: object[] } } };
    };
    obj.spec.replica = 2;
    obj.spec.minReadySeconds = 'ten';
    obj.spec.template.spec.containers.push({ image: 'y:1', resources: { limits: '1Gi' } });
    const problems = validator.validate(obj).join('\n');
    expect(problems).toContain('/spec: unknown field "replica"');
    expect(problems).toContain('/spec/minReadySeconds');
    expect(problems).toContain("must have required property 'name'");
    expect(problems).toContain('/spec/template/spec/containers/1/resources/limits: must be object');
  });

  it('crdcheck rejects unknown fields and PromQL that does not parse', () => {
    const report = crdcheck([
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'sm' },
        spec: { selector: { matchLabels: { a: 'b' } }, endpoints: [{ port: 'http', intervall: '30s' }] },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: 'pr' },
        spec: {
          groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'sum(rate(x[5m]) >', annotations: { summary: 's' } }] }],
        },
      },
    ]);
    expect(report.problems.join('\n')).toContain('unknown field "spec.endpoints[0].intervall"');
    expect(report.problems.join('\n')).toContain('expr does not parse');
  });
});

describe.each(RENDER_NAMES)('every object of the %s render', (name) => {
  const objects = render(name);

  it('is valid against the Kubernetes 1.37 schemas (strict: unknown fields fail)', () => {
    const core = objects.filter((o) => !isCustomResource(o));
    expect(core.length).toBeGreaterThan(20);
    const problems = core.flatMap((o) => validator.validate(o));
    expect(problems).toEqual([]);
  });

  it('has a schema: only Prometheus Operator kinds are custom resources', () => {
    const unknown = objects.filter((o) => !isCustomResource(o) && !validator.hasSchema(o.apiVersion, o.kind));
    expect(unknown.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual([]);
  });

  it('custom resources and dashboards pass crdcheck (operator API types, PromQL)', () => {
    const checked = objects.filter(
      (o) => isCustomResource(o) || (o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1'),
    );
    const report = crdcheck(checked);
    expect(report.problems).toEqual([]);
    expect(report.checked).toBe(checked.length);
  });
});
