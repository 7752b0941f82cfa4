import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { tagActiveSpan } from '../tracing/spans';

/** What travels with a unit of work: an HTTP request or a consumed message. */
export interface RequestContextData {
  requestId: string;
  traceparent: string;
  tenantId?: string;
  userId?: string;
  messageId?: string;
  /** Where the HTTP request came from (the gateway's view), for audit entries; absent for messages and jobs. */
  clientIp?: string;
  userAgent?: string;
}

const storage = new AsyncLocalStorage<RequestContextData>();

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

export const RequestContext = {
  run<T>(data: RequestContextData, fn: () => T): T {
    return storage.run({ ...data }, fn);
  },
  current(): RequestContextData | undefined {
    return storage.getStore();
  },
  /** Runs fn in a copy of the current context with some fields replaced. */
  with<T>(patch: Partial<RequestContextData>, fn: () => T): T {
    const base = storage.getStore() ?? RequestContext.fresh();
    tagActiveSpan(patch.tenantId);
    return storage.run({ ...base, ...patch }, fn);
  },
  /**
   * Sets fields on the current context for the rest of the unit of work. Only the edge that verified
   * credentials (the gateway's auth guard, a service's principal guard) calls this, to record the
   * tenant and user it resolved and where the request came from.
   * The tenant is recorded on the active span too.
   */
  assign(patch: Pick<Partial<RequestContextData>, 'tenantId' | 'userId' | 'clientIp' | 'userAgent'>): void {
    const current = storage.getStore();
    if (!current) throw new Error('RequestContext.assign outside a request context');
    Object.assign(current, patch);
    tagActiveSpan(patch.tenantId);
  },
  fresh(): RequestContextData {
    return { requestId: randomUUID(), traceparent: newTraceparent() };
  },
  /** Accepts a caller-supplied request id only when it is well formed; otherwise makes one. */
  sanitizeRequestId(value: unknown): string {
    return typeof value === 'string' && REQUEST_ID.test(value) ? value : randomUUID();
  },
  sanitizeTraceparent(value: unknown): string {
    if (typeof value === 'string') {
      const match = TRACEPARENT.exec(value);
      if (match && !/^0+$/.test(match[1] ?? '') && !/^0+$/.test(match[2] ?? '')) return value;
    }
    return newTraceparent();
  },
};

/** W3C trace context: version-traceid-parentid-flags. */
export function newTraceparent(traceId = randomBytes(16).toString('hex')): string {
  return `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
}

/** A child span id under the same trace, for the next hop. */
export function childTraceparent(parent: string): string {
  const match = TRACEPARENT.exec(parent);
  return newTraceparent(match?.[1]);
}
