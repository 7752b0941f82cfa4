import type { IncomingHttpHeaders } from 'node:http';
import { ProviderError, type ProviderErrorKind } from './llm-provider';

/** How much of an error response body is read for its message. */
export const ERROR_BODY_LIMIT_BYTES = 64 * 1024;
const MESSAGE_MAX_CHARS = 500;

/** HTTP status of a failed call → the kind of failure (see `ProviderErrorKind`). */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 529 || status === 503) return 'overloaded';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'bad_request';
  return 'protocol';
}

/** A provider's error type or code (Anthropic `error.type`, OpenAI `error.type`/`error.code`) → kind. */
export function kindForErrorType(type: string | null | undefined): ProviderErrorKind | null {
  switch (type ?? '') {
    case 'rate_limit_error':
    case 'rate_limit_exceeded':
    case 'requests':
    case 'tokens':
      return 'rate_limited';
    case 'overloaded_error':
    case 'overloaded':
      return 'overloaded';
    case 'api_error':
    case 'server_error':
      return 'server_error';
    case 'timeout_error':
      return 'timeout';
    case 'authentication_error':
    case 'permission_error':
    case 'invalid_api_key':
      return 'auth';
    case 'invalid_request_error':
    case 'not_found_error':
    case 'request_too_large':
      return 'bad_request';
    default:
      return null;
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The wait a provider asks for: `retry-after-ms` (milliseconds, Anthropic and OpenAI), else
 * `retry-after` (seconds, or an HTTP date). Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: IncomingHttpHeaders, now = Date.now()): number | undefined {
  const ms = first(headers['retry-after-ms'])?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = first(headers['retry-after'])?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Removes the key (and anything shaped like a provider key) from text that may be shown or logged. */
export function redactSecrets(text: string, apiKey?: string): string {
  let out = apiKey && apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
  out = out.replace(/\b(sk|pk|rk)-[A-Za-z0-9_*.-]{6,}/g, '[redacted]');
  return out.length > MESSAGE_MAX_CHARS ? `${out.slice(0, MESSAGE_MAX_CHARS)}…` : out;
}

/** The error message and code in a provider's JSON error body (both protocols), if any. */
export function parseErrorBody(body: string): { message: string | null; code: string | null; type: string | null } {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown; type?: unknown; code?: unknown } | string };
    const error = parsed?.error;
    if (typeof error === 'string') return { message: error, code: null, type: null };
    if (error && typeof error === 'object') {
      const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
      return { message: str(error.message), type: str(error.type), code: str(error.code) ?? str(error.type) };
    }
  } catch {
    // not JSON: the text itself is the message
  }
  const text = body.trim();
  return { message: text.length > 0 ? text : null, code: null, type: null };
}

/** The ProviderError for a non-2xx answer. */
export function errorForStatus(args: {
  provider: string;
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  apiKey?: string;
}): ProviderError {
  const { message, code } = parseErrorBody(args.body);
  const kind = kindForStatus(args.status);
  const detail = message ? `: ${redactSecrets(message, args.apiKey)}` : '';
  return new ProviderError(kind, `${args.provider} answered ${args.status}${detail}`, {
    status: args.status,
    retryAfterMs: retryAfterMs(args.headers),
    providerCode: code ?? undefined,
  });
}

/** The ProviderError for an error event inside a stream. */
export function errorForStreamEvent(provider: string, data: string, apiKey?: string): ProviderError {
  const { message, code, type } = parseErrorBody(data);
  const kind = kindForErrorType(type) ?? kindForErrorType(code) ?? 'stream_interrupted';
  const detail = message ? `: ${redactSecrets(message, apiKey)}` : '';
  return new ProviderError(kind, `${provider} stream failed${detail}`, { providerCode: code ?? undefined });
}

/** A transport failure (refused, reset, DNS, TLS) as a ProviderError. Messages name no key. */
export function networkError(provider: string, error: unknown, afterResponse: boolean): ProviderError {
  const code = (error as { code?: unknown } | null)?.code;
  const text = error instanceof Error ? error.message : String(error);
  return afterResponse
    ? new ProviderError('stream_interrupted', `${provider} stream broke: ${text}`, {
        providerCode: typeof code === 'string' ? code : undefined,
      })
    : new ProviderError('network', `${provider} unreachable: ${text}`, {
        providerCode: typeof code === 'string' ? code : undefined,
      });
}

export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('The operation was aborted', 'AbortError');
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
