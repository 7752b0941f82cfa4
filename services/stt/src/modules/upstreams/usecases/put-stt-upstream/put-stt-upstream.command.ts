import {
  DomainException,
  ErrorCode,
  parseInput,
  putSttUpstreamBodySchema,
  type SttUpstreamKind,
} from '@parley/contracts';
import type { SttPrincipal } from '../../../principal/stt-principal';
import { upstreamKind } from '../../stt-upstream';

/** Printable ASCII without spaces: what API keys are, and safe to put in an HTTP header. */
const API_KEY = /^[\x21-\x7e]+$/;

export class PutSttUpstreamCommand {
  private constructor(
    readonly principal: SttPrincipal,
    readonly kind: SttUpstreamKind,
    /** Absent: keep the stored key. */
    readonly apiKey: string | null,
    /** Null: the kind's public API. */
    readonly baseUrl: string | null,
    readonly model: string,
  ) {}

  static create(principal: SttPrincipal, kind: string, input: unknown): PutSttUpstreamCommand {
    const body = parseInput(putSttUpstreamBodySchema, input, 'body');
    const apiKey = body.apiKey === undefined ? null : body.apiKey.trim();
    if (apiKey !== null && !API_KEY.test(apiKey)) {
      throw new DomainException(
        ErrorCode.ValidationFailed,
        'apiKey must be printable ASCII without spaces or control characters',
      );
    }
    const model = body.model.trim();
    if (!model) throw new DomainException(ErrorCode.ValidationFailed, 'model must not be blank');
    return new PutSttUpstreamCommand(
      principal,
      upstreamKind(kind),
      apiKey,
      body.baseUrl ? baseUrl(body.baseUrl) : null,
      model,
    );
  }
}

/** An http(s) URL without credentials, query or fragment, and without a trailing slash. */
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
