import type { IHeaders } from 'kafkajs';

export type DecodedHeaders = Record<string, string | undefined>;

export function decodeHeaders(headers: IHeaders | undefined): DecodedHeaders {
  const out: DecodedHeaders = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[key] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

export function encodeHeaders(headers: Record<string, string | undefined>): IHeaders {
  const out: IHeaders = {};
  for (const [key, value] of Object.entries(headers)) if (value !== undefined && value !== '') out[key] = value;
  return out;
}
