import { randomBytes } from 'node:crypto';

/** One span as Jaeger's query API (`/api/traces/{id}`) gives it, flattened for assertions. */
export interface TraceSpan {
  spanId: string;
  /** The CHILD_OF reference, if any (a root, or a parent outside the trace store, has none here). */
  parentId: string | null;
  name: string;
  /** `service.name` of the process that reported it (`parley-gateway`, …). */
  service: string;
  /** `span.kind` tag: server, client, producer, consumer, internal. */
  kind: string;
  tags: Record<string, unknown>;
  /** Span ids it links to (OpenTelemetry links: FOLLOWS_FROM references in Jaeger). */
  links: string[];
}

interface JaegerSpan {
  spanID: string;
  operationName: string;
  processID: string;
  references?: { refType: string; spanID: string }[];
  tags?: { key: string; value: unknown }[];
}

interface JaegerTraceBody {
  data?: { spans: JaegerSpan[]; processes: Record<string, { serviceName: string }> }[];
}

/** A W3C `traceparent` for a new trace the test starts, and its trace id. */
export function testTraceparent(): { traceId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

/**
 * A trace read from Jaeger, with the lookups the tracing tests need: spans by service and name,
 * and whether one span descends from another (following CHILD_OF references).
 */
export class JaegerTrace {
  private readonly byId: Map<string, TraceSpan>;

  constructor(readonly spans: TraceSpan[]) {
    this.byId = new Map(spans.map((s) => [s.spanId, s]));
  }

  /** The trace as Jaeger has it now (empty when it has none of its spans yet). */
  static async read(queryUrl: string, traceId: string): Promise<JaegerTrace> {
    const res = await fetch(`${queryUrl}/api/traces/${traceId}`);
    if (res.status === 404) return new JaegerTrace([]);
    if (!res.ok) throw new Error(`Jaeger answered ${res.status} for trace ${traceId}`);
    return JaegerTrace.parse((await res.json()) as JaegerTraceBody)[0] ?? new JaegerTrace([]);
  }

  /** The traces that have a span of `service` named `operation` with these tags (Jaeger's search). */
  static async search(
    queryUrl: string,
    query: { service: string; operation: string; tags: Record<string, string> },
  ): Promise<JaegerTrace[]> {
    const params = new URLSearchParams({
      service: query.service,
      operation: query.operation,
      tags: JSON.stringify(query.tags),
      lookback: '1h',
      limit: '20',
    });
    const res = await fetch(`${queryUrl}/api/traces?${params.toString()}`);
    if (!res.ok) throw new Error(`Jaeger answered ${res.status} to a search`);
    return JaegerTrace.parse((await res.json()) as JaegerTraceBody);
  }

  private static parse(body: JaegerTraceBody): JaegerTrace[] {
    return (body.data ?? []).map((trace) => JaegerTrace.spansOf(trace));
  }

  private static spansOf(trace: NonNullable<JaegerTraceBody['data']>[number]): JaegerTrace {
    const spans: TraceSpan[] = [];
    for (const span of trace.spans) {
      const tags = Object.fromEntries((span.tags ?? []).map((t) => [t.key, t.value]));
      spans.push({
        spanId: span.spanID,
        parentId: span.references?.find((r) => r.refType === 'CHILD_OF')?.spanID ?? null,
        name: span.operationName,
        service: trace.processes[span.processID]?.serviceName ?? '',
        kind: typeof tags['span.kind'] === 'string' ? tags['span.kind'] : 'internal',
        tags,
        links: (span.references ?? []).filter((r) => r.refType !== 'CHILD_OF').map((r) => r.spanID),
      });
    }
    return new JaegerTrace(spans);
  }

  find(service: string, predicate: (span: TraceSpan) => boolean): TraceSpan[] {
    return this.spans.filter((s) => s.service === service && predicate(s));
  }

  parentOf(span: TraceSpan): TraceSpan | undefined {
    return span.parentId ? this.byId.get(span.parentId) : undefined;
  }

  /** Whether `span` is `ancestor` or below it in this trace. */
  descendsFrom(span: TraceSpan, ancestor: TraceSpan): boolean {
    for (let at: TraceSpan | undefined = span; at; at = this.parentOf(at))
      if (at.spanId === ancestor.spanId) return true;
    return false;
  }

  /** The services on the way from the root down to `span` (each once, in order), for messages. */
  path(span: TraceSpan): string[] {
    const out: string[] = [];
    for (let at: TraceSpan | undefined = span; at; at = this.parentOf(at)) out.unshift(`${at.service}:${at.name}`);
    return out;
  }
}
