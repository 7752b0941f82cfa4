import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { metrics } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contextFromHeaders, inSpan, startSpan, traceparentOf } from './spans';
import { startTracing, stopTracing, tracingActive } from './tracing';

/**
 * The tracing bootstrap against a local OTLP/HTTP receiver: spans go to `<endpoint>/v1/traces` and
 * nothing else is pushed there (no OTLP metrics or logs), sampling is parent-based with the
 * configured ratio, and without configuration nothing runs.
 */
describe('startTracing', () => {
  let server: Server;
  let url = '';
  const received: { path: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        received.push({ path: req.url ?? '', body: body.toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterEach(async () => {
    await stopTracing();
    received.length = 0;
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('does nothing without configuration: no SDK, no traceparent from spans', async () => {
    startTracing(null);
    expect(tracingActive()).toBe(false);
    await inSpan('unconfigured', {}, () => {
      expect(traceparentOf()).toBeUndefined();
      return Promise.resolve();
    });
  });

  it('exports spans to <endpoint>/v1/traces as the service, and pushes no metrics or logs', async () => {
    // The deployment's environment, which the SDK's own metric and log exporters would read.
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = url;
    delete process.env.OTEL_METRICS_EXPORTER;
    delete process.env.OTEL_LOGS_EXPORTER;
    startTracing({ serviceName: 'parley-spec', tracesUrl: `${url}/v1/traces`, sampleRatio: 1 });
    expect(tracingActive()).toBe(true);
    let traceparent: string | undefined;
    await inSpan('exported-span', { attributes: { 'parley.tenant.id': 't-1' } }, () => {
      traceparent = traceparentOf();
      return Promise.resolve();
    });
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    // A library recording an OTel metric: it must not leave by OTLP (metrics are Prometheus's).
    metrics.getMeter('spec').createCounter('spec_counter').add(1);
    await stopTracing(); // flushes
    expect(received.map((r) => r.path)).toEqual(['/v1/traces']);
    expect(received[0]?.body).toContain('exported-span');
    expect(received[0]?.body).toContain('parley-spec');
  });

  it('samples new traces at the ratio but follows a sampled caller (parent-based)', async () => {
    startTracing({ serviceName: 'parley-spec', tracesUrl: `${url}/v1/traces`, sampleRatio: 0 });
    const root = startSpan('dropped-root', {}).span;
    expect(root.isRecording()).toBe(false);
    root.end();
    const caller = contextFromHeaders({ traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` });
    const child = startSpan('kept-child', { parent: caller });
    expect(child.span.isRecording()).toBe(true);
    expect(child.traceparent).toMatch(new RegExp(`^00-${'a'.repeat(32)}-[0-9a-f]{16}-01$`));
    child.span.end();
    await stopTracing();
    const bodies = received.map((r) => r.body).join('\n');
    expect(bodies).toContain('kept-child');
    expect(bodies).not.toContain('dropped-root');
  });
});
