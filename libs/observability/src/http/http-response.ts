import type { ServerResponse } from 'node:http';

/**
 * What the problem filter needs of a response, whichever adapter made it: an Express response, a
 * Fastify reply, or the bare `ServerResponse` a Nest middleware sees under Fastify (middie). Headers
 * set on a Fastify reply are written with its answer; headers set on the bare response are kept by
 * every path (Fastify merges them into its head).
 */
export interface NeutralResponse {
  headersSent(): boolean;
  getHeader(name: string): string | undefined;
  setHeader(name: string, value: string): void;
  /** Ends a response whose head is already out. */
  end(): void;
  json(status: number, body: unknown): void;
}

interface FastifyLikeReply {
  raw: ServerResponse;
  sent: boolean;
  code(status: number): FastifyLikeReply;
  header(name: string, value: string): FastifyLikeReply;
  getHeader(name: string): unknown;
  send(body: unknown): unknown;
}

interface ExpressLikeResponse extends ServerResponse {
  status(code: number): ExpressLikeResponse;
  json(body: unknown): unknown;
}

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}

function isFastifyReply(res: unknown): res is FastifyLikeReply {
  return (
    typeof res === 'object' && res !== null && 'raw' in res && typeof (res as { code?: unknown }).code === 'function'
  );
}

function isExpressResponse(res: ServerResponse): res is ExpressLikeResponse {
  return typeof (res as { json?: unknown }).json === 'function';
}

export function neutralResponse(res: unknown): NeutralResponse {
  if (isFastifyReply(res)) {
    return {
      headersSent: () => res.sent || res.raw.headersSent,
      getHeader: (name) => headerText(res.getHeader(name) ?? res.raw.getHeader(name)),
      setHeader: (name, value) => void res.header(name, value),
      end: () => void res.raw.end(),
      json: (status, body) => void res.code(status).send(body),
    };
  }
  const raw = res as ServerResponse;
  return {
    headersSent: () => raw.headersSent,
    getHeader: (name) => headerText(raw.getHeader(name)),
    setHeader: (name, value) => void raw.setHeader(name, value),
    end: () => void raw.end(),
    json: (status, body) => {
      if (isExpressResponse(raw)) {
        raw.status(status).json(body);
        return;
      }
      const text = JSON.stringify(body);
      raw.statusCode = status;
      raw.setHeader('content-type', 'application/json; charset=utf-8');
      raw.setHeader('content-length', Buffer.byteLength(text));
      raw.end(text);
    },
  };
}
