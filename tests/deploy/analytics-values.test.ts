import { describe, expect, it } from 'vitest';
import { helm, ofKind, render, renderWith, templateArgs, type K8sObject } from './support/render';
import type { NetworkPolicy, Workload } from './support/k8s-types';

/** The analytics container's environment: plain values, and the Secret each provider credential comes from. */
function analyticsEnv(objects: K8sObject[]): {
  plain: Record<string, string>;
  secret: Record<string, { name: string; key: string }>;
} {
  const deployment = ofKind<Workload>(objects, 'Deployment').find((d) => d.metadata.name === 'parley-analytics');
  const env = deployment?.spec.template.spec.containers[0]?.env ?? [];
  return {
    plain: Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value ?? ''])),
    secret: Object.fromEntries(
      env
        .filter((e) => e.valueFrom?.secretKeyRef && /^(POSTHOG|MIXPANEL)_/.test(e.name))
        .map((e) => [e.name, e.valueFrom!.secretKeyRef as { name: string; key: string }]),
    ),
  };
}

const egressOf = (objects: K8sObject[]) =>
  ofKind<NetworkPolicy>(objects, 'NetworkPolicy').find((p) => p.metadata.name === 'parley-analytics-egress');

describe('analytics values', () => {
  it('default: nothing forwarded, consent follows the deployment mode, a year of audit log, no egress', () => {
    const objects = render('default');
    const { plain, secret } = analyticsEnv(objects);
    expect(plain).toMatchObject({
      ANALYTICS_PROVIDER: 'none',
      ANALYTICS_CONSENT_DEFAULT: 'auto',
      AUDIT_RETENTION_DAYS: '365',
      AUDIT_RETENTION_INTERVAL_MS: '3600000',
      AUDIT_EXPORT_MAX_ROWS: '10000',
    });
    expect(plain.POSTHOG_HOST).toBeUndefined();
    expect(secret).toEqual({});
    expect(egressOf(objects)).toBeUndefined();
    // Only the analytics service gets them.
    for (const d of ofKind<Workload>(objects, 'Deployment').filter((w) => w.metadata.name !== 'parley-analytics')) {
      const names = (d.spec.template.spec.containers[0]?.env ?? []).map((e) => e.name);
      expect(
        names.filter((n) => /^(ANALYTICS|AUDIT|POSTHOG|MIXPANEL)_/.test(n)),
        d.metadata.name,
      ).toEqual([]);
    }
  });

  it('PostHog: its host, its key from a Secret (never inline), the chosen consent and retention, HTTPS egress', () => {
    const objects = render('all-options');
    const { plain, secret } = analyticsEnv(objects);
    expect(plain).toMatchObject({
      ANALYTICS_PROVIDER: 'posthog',
      ANALYTICS_CONSENT_DEFAULT: 'off',
      POSTHOG_HOST: 'https://eu.i.posthog.com',
      AUDIT_RETENTION_DAYS: '90',
      AUDIT_RETENTION_INTERVAL_MS: '600000',
      AUDIT_EXPORT_MAX_ROWS: '5000',
    });
    expect(plain.POSTHOG_API_KEY).toBeUndefined();
    expect(secret.POSTHOG_API_KEY).toEqual({ name: 'parley-posthog', key: 'project-api-key' });
    expect(egressOf(objects)?.spec.egress).toContainEqual({ ports: [{ protocol: 'TCP', port: 443 }] });
  });

  it('Mixpanel: its token from a Secret and its host', () => {
    const { plain, secret } = analyticsEnv(renderWith([], ['--set', 'analytics.provider=mixpanel']));
    expect(plain).toMatchObject({ ANALYTICS_PROVIDER: 'mixpanel', MIXPANEL_HOST: 'https://api-js.mixpanel.com' });
    expect(secret).toEqual({ MIXPANEL_TOKEN: { name: 'parley-analytics', key: 'mixpanel-token' } });
  });

  it.each([
    ['an unknown provider', 'analytics.provider=segment', 'provider'],
    ['an unknown consent default', 'analytics.consentDefault=maybe', 'consentDefault'],
    ['a retention of 0 days', 'analytics.audit.retentionDays=0', 'retentionDays'],
    ['a retention as text', 'analytics.audit.retentionDays=forever', 'retentionDays'],
  ])('the schema rejects %s, naming it', (_what, setting, field) => {
    const result = helm(templateArgs([], ['--set', setting]));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(field);
  });

  it('refuses ANALYTICS_* set through env (the dedicated values own them)', () => {
    const result = helm(templateArgs([], ['--set', 'services.analytics.env.ANALYTICS_PROVIDER=posthog']));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ANALYTICS_PROVIDER is set by the chart');
  });
});
