import { describe, expect, it } from 'vitest';
import { EXAMPLE_RENDERS, RENDERS, RENDER_NAMES, helm, templateArgs, render } from './support/render';

const CANARY = 'sk_live_PARLEY_CANARY_7f3c9e';

describe('helm lint and template', () => {
  it.each(RENDER_NAMES)('lints cleanly with the %s values (--strict)', (name) => {
    const result = helm(['lint', 'helm/parley', '--strict', ...RENDERS[name].flatMap((f) => ['-f', f])]);
    expect(result.stderr + result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.status).toBe(0);
  });

  it.each(RENDER_NAMES)('renders the %s values', (name) => {
    const kinds = new Set(render(name).map((o) => o.kind));
    for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Job']) {
      expect(kinds, `${name} renders a ${kind}`).toContain(kind);
    }
  });

  it('renders one Deployment per service in every example', () => {
    for (const name of EXAMPLE_RENDERS) {
      const deployments = render(name)
        .filter((o) => o.kind === 'Deployment')
        .map((o) => o.metadata.name)
        .sort();
      expect(deployments, name).toEqual(
        ['analytics', 'auth', 'billing', 'chat-orchestrator', 'gateway', 'stt', 'tenant'].map((s) => `parley-${s}`),
      );
    }
  });
});

describe('values.schema.json rejects wrong values with a message naming them', () => {
  const rejects = (args: string[]): string => {
    const result = helm(templateArgs([], args));
    expect(result.status, 'helm template must fail').not.toBe(0);
    return result.stderr;
  };

  it('a replica count given as text', () => {
    const stderr = rejects(['--set-string', 'services.gateway.replicas=two']);
    expect(stderr).toContain("values don't meet the specifications of the schema");
    expect(stderr).toContain("at '/services/gateway/replicas': got string, want integer");
  });

  it('a misspelt key (additionalProperties false)', () => {
    expect(rejects(['--set', 'services.gateway.autoscalling.enabled=false'])).toContain(
      "at '/services/gateway': additional properties 'autoscalling' not allowed",
    );
    expect(rejects(['--set', 'ingres.enabled=true'])).toContain("additional properties 'ingres' not allowed");
  });

  it('an unknown service', () => {
    expect(rejects(['--set', 'services.mailer.port=8100'])).toContain("additional properties 'mailer' not allowed");
  });

  it('a value outside its enum', () => {
    expect(rejects(['--set', 'kafka.sasl.mechanism=gssapi'])).toContain(
      "at '/kafka/sasl/mechanism': value must be one of 'none', 'plain', 'scram-sha-256', 'scram-sha-512'",
    );
    expect(rejects(['--set', 'deploymentMode=saas'])).toContain("at '/deploymentMode'");
  });

  it('the image tag "latest"', () => {
    expect(rejects(['--set', 'image.tag=latest'])).toContain("at '/image/tag'");
    expect(rejects(['--set', 'bundled.postgres.image=postgres:latest'])).toContain("at '/bundled/postgres/image'");
    expect(rejects(['--set', 'bundled.redis.image=redis'])).toContain("at '/bundled/redis/image'");
  });

  it('a container without limits', () => {
    expect(rejects(['--set', 'services.stt.resources.limits.memory=null'])).toContain(
      "at '/services/stt/resources/limits': missing property 'memory'",
    );
  });

  it('a secret given as a plain value, without echoing it', () => {
    const stderr = rejects(['--set-string', `env.STRIPE_SECRET_KEY=${CANARY}`]);
    expect(stderr).toContain("at '/env/STRIPE_SECRET_KEY'");
    expect(stderr).toContain('envFromSecret');
    const perService = rejects(['--set-string', `services.billing.env.DATABASE_URL=postgres://u:${CANARY}@db/x`]);
    expect(perService).toContain("at '/services/billing/env/DATABASE_URL'");
    // There is no key for a password anywhere in the values.
    expect(rejects(['--set-string', `postgres.password=${CANARY}`])).toContain(
      "additional properties 'password' not allowed",
    );
  });

  it('cross-field rules the schema cannot express', () => {
    expect(rejects(['--set', 'kafka.sasl.mechanism=plain'])).toContain('kafka.sasl.existingSecret is required');
    expect(
      rejects([
        '--set',
        'services.gateway.autoscaling.minReplicas=9',
        '--set',
        'services.gateway.autoscaling.maxReplicas=3',
      ]),
    ).toContain('minReplicas (9) is greater than maxReplicas (3)');
    expect(rejects(['--set', 'env.LOG_LEVEL=debug'])).toContain('env.LOG_LEVEL: LOG_LEVEL is set by the chart');
  });
});
