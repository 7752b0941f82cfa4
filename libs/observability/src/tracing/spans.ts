import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';
import { tracingActive } from './tracing';

/**
 * The tracer of Parley's own spans (bus, gen_ai, WebSocket); instrumentations have their own. Asked
 * of the API at each use, so it is always the registered provider's (tracing restarts in tests).
 */
export function tracer(): Tracer {
  return trace.getTracer('parley');
}

/** Span attribute naming the tenant of the work (bounded: one per tenant, never a secret). */
export const ATTR_TENANT_ID = 'parley.tenant.id';

/** The W3C `traceparent` of a context's span, or undefined when tracing is off or there is no span. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  if (!tracingActive()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

/** The trace context carried by headers (W3C), as a parent for the next span. */
export function contextFromHeaders(headers: Record<string, string | undefined>): Context {
  return propagation.extract(ROOT_CONTEXT, headers, {
    get: (carrier, key) => carrier[key],
    keys: (carrier) => Object.keys(carrier),
  });
}

/** Records the tenant on the active span (the edge resolved it, or a message header carried it). */
export function tagActiveSpan(tenantId: string | undefined): void {
  if (tenantId) trace.getActiveSpan()?.setAttribute(ATTR_TENANT_ID, tenantId);
}

/** Ends a span with an error status and the exception recorded. */
export function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent; default: the active context. */
  parent?: Context;
  /** Start a new trace (a unit of work of its own on a long-lived connection). */
  newTrace?: boolean;
  /** Spans this one relates to without being their child (a WebSocket message → its upgrade). */
  links?: Link[];
}

/**
 * Starts a span under `parent` (default: the active context) without making it active, with the
 * `traceparent` that names it (undefined when tracing is off): for work whose context travels in a
 * message rather than in this process (the bus's producer span). The caller ends it.
 */
export function startSpan(name: string, options: SpanOptions): { span: Span; traceparent: string | undefined } {
  const parent = options.newTrace ? ROOT_CONTEXT : (options.parent ?? context.active());
  const span = tracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links },
    parent,
  );
  return { span, traceparent: traceparentOf(trace.setSpan(parent, span)) };
}

/**
 * Runs fn inside a new span (child of `parent`, default the active context) and ends it when fn
 * settles; a throw marks it failed.
 */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.newTrace ? ROOT_CONTEXT : (options.parent ?? context.active());
  const span = tracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

export { SpanKind, type Span, type SpanContext };

/** Runs fn with `span` as the active span (its children — HTTP client calls — nest under it). */
export function withSpan<T>(span: Span, fn: () => T): T {
  return context.with(trace.setSpan(context.active(), span), fn);
}

/** Marks the active span failed (an outcome handled without a throw: a dead-lettered message). */
export function failActiveSpan(error: unknown): void {
  const span = trace.getActiveSpan();
  if (span) failSpan(span, error);
}
