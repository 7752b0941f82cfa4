import { z } from 'zod';
import { DomainException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-code';

/** Printable ASCII without spaces: what upstream API keys are, and safe to put in an HTTP header. */
const API_KEY = /^[\x21-\x7e]+$/;

/**
 * An upstream's key, base URL and model as a tenant admin sends them (chat providers, speech
 * upstreams): without `apiKey` the stored key is kept (for the same base URL only); a null or absent
 * `baseUrl` is the upstream's public API. The key is stored encrypted and never returned.
 */
export const upstreamKeyBodySchema = z.strictObject({
  apiKey: z.string().min(1).max(4096).optional(),
  baseUrl: z
    .string()
    .max(2000)
    .regex(/^https?:\/\/\S+$/, 'baseUrl must be an http(s) URL')
    .nullable()
    .optional(),
  model: z.string().min(1).max(200),
});
export type UpstreamKeyBody = z.infer<typeof upstreamKeyBodySchema>;

export interface UpstreamKeyInput {
  /** Null: keep the stored key. */
  apiKey: string | null;
  /** Null: the upstream's public API. */
  baseUrl: string | null;
  model: string;
}

/**
 * Checks what the schema cannot say: a key of printable ASCII (trimmed), a model that is not blank,
 * and a base URL that is http(s) without credentials, query or fragment (trailing slashes dropped).
 * Whether the URL may be reached is the egress policy's call, on save and on connect.
 */
export function parseUpstreamKeyInput(body: UpstreamKeyBody): UpstreamKeyInput {
  const apiKey = body.apiKey === undefined ? null : body.apiKey.trim();
  if (apiKey !== null && !API_KEY.test(apiKey)) {
    throw new DomainException(
      ErrorCode.ValidationFailed,
      'apiKey must be printable ASCII without spaces or control characters',
    );
  }
  const model = body.model.trim();
  if (!model) throw new DomainException(ErrorCode.ValidationFailed, 'model must not be blank');
  return { apiKey, baseUrl: body.baseUrl ? baseUrl(body.baseUrl) : null, model };
}

function baseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DomainException(ErrorCode.ValidationFailed, 'baseUrl must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DomainException(ErrorCode.ValidationFailed, 'baseUrl must be an http(s) URL');
  }
  if (url.username || url.password) {
    throw new DomainException(ErrorCode.ValidationFailed, 'baseUrl must not carry credentials: use apiKey');
  }
  if (url.search || url.hash) {
    throw new DomainException(ErrorCode.ValidationFailed, 'baseUrl must not have a query or fragment');
  }
  return url.toString().replace(/\/+$/, '');
}
