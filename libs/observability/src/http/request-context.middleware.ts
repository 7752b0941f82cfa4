import type { NextFunction, Request, Response } from 'express';
import { RequestContext } from '../context/request-context';
import { traceparentOf } from '../tracing/spans';
import type { ServiceMetrics } from '../metrics/service-metrics';

/**
 * Opens the request context (request id and trace context from the caller when well formed), echoes
 * `x-request-id`, and records HTTP metrics by matched route, so unmatched paths cannot blow up
 * label cardinality. The tenant is never taken from a header here: only verified credentials set it.
 */
export function requestContextMiddleware(metrics: ServiceMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const requestId = RequestContext.sanitizeRequestId(req.header('x-request-id'));
    // With tracing on, the HTTP server span (its parent taken from the caller's header) is the context.
    const traceparent = traceparentOf() ?? RequestContext.sanitizeTraceparent(req.header('traceparent'));
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      const labels = {
        method: req.method,
        route: route ? `${req.baseUrl}${route}` : 'unmatched',
        status: String(res.statusCode),
      };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    RequestContext.run({ requestId, traceparent }, () => next());
  };
}
