import type { IncomingMessage } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { DomainException, ErrorCode } from '@parley/contracts';
import { assertJsonShape, charsetRefusal, type JsonLimits } from './json-body-guard';

/** What the Fastify body parsers of the HTTP shell need (HttpAppOptions and the service's limits). */
export interface FastifyBodyRules {
  limitBytes: number;
  json: JsonLimits;
  rawJsonPaths: readonly RegExp[];
  rawBodyPaths: readonly { path: RegExp; maxBytes: number }[];
}

/** A request whose body was kept as bytes (`HttpAppOptions.rawBodyPaths`). */
export interface WithRawBody {
  rawBody?: Buffer;
}

const tooLarge = () => new DomainException(ErrorCode.PayloadTooLarge, 'Request body is too large');

/** Reads a body whole, refusing it (413) once it passes `limit` bytes, before reading the rest. */
export async function readBody(stream: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(stream.headers['content-length'] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The Content-Encoding of a JSON body undone, as Express's body parser does: gzip, deflate and br
 * (the decoded size bounded by the same limit, else 413), identity or none as is; any other is 415
 * `unsupported_media_type`, and bytes that do not decode are 400 `invalid_encoding`.
 */
export function decodeBody(body: Buffer, encoding: string | undefined, limit: number): Buffer {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity' || name === '') return body;
  const decode = { gzip: gunzipSync, 'x-gzip': gunzipSync, deflate: inflateSync, br: brotliDecompressSync }[name];
  if (!decode) throw new DomainException(ErrorCode.UnsupportedMediaType, 'Unsupported charset or content encoding');
  try {
    return decode(body, { maxOutputLength: limit });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw new DomainException(ErrorCode.InvalidEncoding, 'Request body does not match its Content-Encoding');
  }
}

const STRICT_START = /^[\s]*[{[]/;

/**
 * A JSON body as the Express shell parses it: charset UTF-8 only (415), bounded (413), decoded,
 * shape-checked before parsing (json-body-guard), strict (an object or an array; else 400
 * `malformed_json`); an empty body is no body (`undefined`, as Express leaves a request already complete).
 */
export async function parseJsonBody(req: IncomingMessage, rules: FastifyBodyRules): Promise<unknown> {
  const refused = charsetRefusal(req.headers['content-type']);
  if (refused) throw refused;
  const bytes = decodeBody(await readBody(req, rules.limitBytes), headerOf(req, 'content-encoding'), rules.limitBytes);
  if (bytes.length === 0) return undefined;
  assertJsonShape(bytes, rules.json);
  const text = bytes.toString('utf8');
  if (!STRICT_START.test(text)) throw malformed();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw malformed();
  }
}

/** A body kept as bytes for a handler that verifies a signature over them (never content-encoded: 415). */
export async function readRawBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = headerOf(req, 'content-encoding');
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    throw new DomainException(ErrorCode.UnsupportedMediaType, 'Unsupported charset or content encoding');
  }
  return readBody(req, maxBytes);
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function malformed(): DomainException {
  return new DomainException(ErrorCode.MalformedJson, 'Request body is not valid JSON');
}
