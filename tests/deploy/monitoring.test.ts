import { describe, expect, it } from 'vitest';
import { crdcheck } from './support/crdcheck';
import { named, ofKind, render, type K8sObject } from './support/render';
import type { Hpa, Workload } from './support/k8s-types';

const SERVICES = ['analytics', 'auth', 'billing', 'chat-orchestrator', 'gateway', 'stt', 'tenant'];

/** What the services and kube-state-metrics expose (libs/observability, prom-client defaults). */
const KNOWN_METRICS = new Set([
  'http_requests_total',
  'http_request_duration_seconds_bucket',
  'bus_messages_handled_total',
  'bus_messages_published_total',
  'bus_handler_duration_seconds_bucket',
  'bus_request_duration_seconds_bucket',
  'bus_dead_letter_total',
  'kafka_consumer_lag',
  'parley_inflight_streams',
  'chat_time_to_first_token_seconds_bucket',
  'gen_ai_client_operation_time_to_first_chunk_seconds_bucket',
  'gen_ai_client_operation_duration_seconds_bucket',
  'gen_ai_client_operation_duration_seconds_count',
  'gen_ai_client_token_usage_sum',
  'stt_transcription_duration_seconds_bucket',
  'sso_idp_certificate_expiry_timestamp_seconds',
  'dependency_up',
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_heap_size_used_bytes',
  'up',
  'kube_pod_status_ready',
]);

interface Rule {
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
type PrometheusRule = K8sObject & { spec: { groups: { name: string; rules: Rule[] }[] } };

describe('Prometheus scraping', () => {
  it('without the operator: scrape annotations on every service pod, no ServiceMonitor', () => {
    const objects = render('default');
    expect(ofKind(objects, 'ServiceMonitor')).toEqual([]);
    for (const d of ofKind<Workload>(objects, 'Deployment')) {
      const annotations = d.spec.template.metadata.annotations ?? {};
      const port = d.spec.template.spec.containers[0]?.ports?.[0]?.containerPort;
      expect(annotations, d.metadata.name).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/path': '/metrics',
        'prometheus.io/port': String(port),
      });
    }
  });

  it('with the operator: one ServiceMonitor per service on /metrics, and no annotations', () => {
    const objects = render('cloud');
    const monitors = ofKind<K8sObject & { spec: { endpoints: { port: string; path: string }[] } }>(
      objects,
      'ServiceMonitor',
    );
    expect(monitors.map((m) => m.metadata.name).sort()).toEqual(SERVICES.map((s) => `parley-${s}`));
    for (const m of monitors) {
      expect(m.metadata.labels?.release).toBe('kube-prometheus-stack');
      expect(m.spec.endpoints).toEqual([
        expect.objectContaining({ port: 'http', path: '/metrics', honorLabels: true }),
      ]);
    }
    for (const d of ofKind<Workload>(objects, 'Deployment')) {
      expect(d.spec.template.metadata.annotations?.['prometheus.io/scrape'], d.metadata.name).toBeUndefined();
    }
  });
});

describe('PrometheusRule', () => {
  const rule = named(render('cloud'), 'PrometheusRule', 'parley') as PrometheusRule;
  const rules = rule.spec.groups.flatMap((g) => g.rules);
  const byName = (alert: string): Rule => {
    const found = rules.find((r) => r.alert === alert);
    if (!found) throw new Error(`no alert ${alert}`);
    return found;
  };

  it('alerts on 5xx ratio, p99 latency, consumer lag, dead letters, readiness flapping and down targets', () => {
    expect(byName('ParleyHighErrorRate').expr).toMatch(/http_requests_total\{[^}]*status=~"5\.\."/);
    expect(byName('ParleyHighErrorRate').expr).toContain('> 0.05');
    expect(byName('ParleyHighLatencyP99').expr).toMatch(
      /histogram_quantile\(0\.99,[\s\S]*http_request_duration_seconds_bucket/,
    );
    expect(byName('ParleyKafkaConsumerLag').expr).toMatch(/max by \(service, group, topic\) \(kafka_consumer_lag\{/);
    expect(byName('ParleyDeadLetterGrowth').expr).toMatch(/increase\(bus_dead_letter_total/);
    expect(byName('ParleyReadinessFlapping').expr).toMatch(/changes\(kube_pod_status_ready\{[^}]*pod=~"parley-\.\*"/);
    expect(byName('ParleyTargetDown').expr).toMatch(/^up\{namespace="parley", job=~"parley-\.\*"\} == 0/);
    expect(byName('ParleySsoCertificateExpiring').expr).toMatch(
      /max by \(tenant_id, connection_id\) \(sso_idp_certificate_expiry_timestamp_seconds\{[^}]*\}\) - time\(\) < 30 \* 86400/,
    );
  });

  it('alerts on slow first chunks, failing model calls and slow speech-to-text, from the gen_ai and stt histograms', () => {
    expect(byName('ParleyGenAiSlowFirstChunk').expr).toMatch(
      /histogram_quantile\(0\.95,[\s\S]*gen_ai_client_operation_time_to_first_chunk_seconds_bucket[\s\S]*> 5$/m,
    );
    const errors = byName('ParleyGenAiErrors').expr;
    expect(errors).toMatch(/gen_ai_client_operation_duration_seconds_count\{[^}]*error_type!~"\|cancelled"/);
    expect(errors).toContain('> 0.1');
    expect(byName('ParleySttSlow').expr).toMatch(/stt_transcription_duration_seconds_bucket[\s\S]*> 10$/m);
    // No alert groups by tenant except the SSO certificate one (bounded: one series per SSO connection).
    for (const r of rules.filter((x) => x.alert !== 'ParleySsoCertificateExpiring')) {
      expect(r.expr, r.alert).not.toMatch(/tenant/);
    }
  });

  it('every alert has a severity, a summary, a description and templated labels that survive helm', () => {
    for (const r of rules) {
      expect(r.labels?.severity, r.alert).toMatch(/^(warning|critical)$/);
      expect(r.annotations?.summary, r.alert).toMatch(/\{\{ \$labels\.\w+ \}\}/);
      expect(r.annotations?.description, r.alert).toBeTruthy();
    }
  });

  it('selects only metrics the platform exposes', () => {
    const report = crdcheck([rule]);
    expect(report.problems).toEqual([]);
    expect(report.metrics.filter((m) => !KNOWN_METRICS.has(m))).toEqual([]);
    expect(report.metrics).toEqual(
      expect.arrayContaining([
        'http_requests_total',
        'kafka_consumer_lag',
        'bus_dead_letter_total',
        'kube_pod_status_ready',
      ]),
    );
  });

  it('is absent unless enabled', () => {
    expect(ofKind(render('default'), 'PrometheusRule')).toEqual([]);
    expect(ofKind(render('self-hosted'), 'PrometheusRule')).toEqual([]);
  });
});

describe('Grafana dashboard', () => {
  const objects = render('default');
  const cm = named(objects, 'ConfigMap', 'parley-dashboards') as K8sObject & { data: Record<string, string> };

  it('is a ConfigMap the Grafana sidecar picks up', () => {
    expect(cm.metadata.labels?.grafana_dashboard).toBe('1');
    expect(Object.keys(cm.data)).toEqual(['parley-overview.json']);
  });

  it('holds a dashboard whose every query parses and uses known metrics', () => {
    const dash = JSON.parse(cm.data['parley-overview.json'] ?? '') as {
      uid: string;
      panels: { targets?: { expr: string }[] }[];
    };
    expect(dash.uid).toBe('parley-overview');
    const exprs = dash.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    expect(exprs.length).toBeGreaterThanOrEqual(15);
    const report = crdcheck([cm]);
    expect(report.problems).toEqual([]);
    expect(report.metrics.filter((m) => !KNOWN_METRICS.has(m))).toEqual([]);
    for (const metric of [
      'http_request_duration_seconds_bucket',
      'bus_messages_handled_total',
      'parley_inflight_streams',
      'kafka_consumer_lag',
      'gen_ai_client_operation_time_to_first_chunk_seconds_bucket',
      'gen_ai_client_operation_duration_seconds_bucket',
      'gen_ai_client_token_usage_sum',
      'chat_time_to_first_token_seconds_bucket',
      'stt_transcription_duration_seconds_bucket',
    ]) {
      expect(report.metrics).toContain(metric);
    }
  });
});

describe('tracing values', () => {
  const envOf = (objects: K8sObject[]) =>
    ofKind<Workload>(objects, 'Deployment').map((d) => {
      const env = d.spec.template.spec.containers[0]?.env ?? [];
      return Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    });

  it('sends every service its OTLP endpoint and sampling ratio, and declares the content opt-in flag off', () => {
    for (const env of envOf(render('cloud'))) {
      expect(env).toMatchObject({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability:4318',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
        FEATURE_GEN_AI_TRACE_CONTENT: 'false',
      });
    }
    for (const env of envOf(render('all-options'))) {
      expect(env.OTEL_TRACES_SAMPLER_ARG).toBe('0.25');
      expect(env.FEATURE_GEN_AI_TRACE_CONTENT).toBeUndefined(); // no tenant can opt in
    }
  });

  it('leaves tracing off without an endpoint', () => {
    for (const env of envOf(render('default'))) {
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
      expect(env.OTEL_TRACES_SAMPLER_ARG).toBeUndefined();
    }
  });
});

describe('autoscaling on in-flight streams', () => {
  const podsMetric = (hpa: Hpa) => hpa.spec.metrics.find((m) => m.type === 'Pods')?.pods;

  it('gateway and chat-orchestrator add parley_inflight_streams when metrics.customHpa.enabled', () => {
    const hpas = ofKind<Hpa>(render('cloud'), 'HorizontalPodAutoscaler');
    for (const hpa of hpas) {
      const metric = podsMetric(hpa);
      if (['parley-gateway', 'parley-chat-orchestrator'].includes(hpa.metadata.name)) {
        expect(metric?.metric.name, hpa.metadata.name).toBe('parley_inflight_streams');
        expect(metric?.target).toEqual({ type: 'AverageValue', averageValue: expect.stringMatching(/^\d+$/) });
      } else {
        expect(metric, hpa.metadata.name).toBeUndefined();
      }
    }
  });

  it('scale on CPU only without a Prometheus adapter', () => {
    for (const hpa of ofKind<Hpa>(render('default'), 'HorizontalPodAutoscaler')) {
      expect(
        hpa.spec.metrics.map((m) => m.type),
        hpa.metadata.name,
      ).toEqual(['Resource']);
    }
  });
});
