import { DomainException, ErrorCode, parseInput, putChatProviderBodySchema } from '@parley/contracts';
import type { ChatPrincipal } from '../../../principal/chat-principal';
import type { ProviderKind } from '../../../providers/llm-provider';
import { providerKind } from '../../provider-credential';

/** Printable ASCII without spaces: what provider keys are, and safe to put in an HTTP header. */
const API_KEY = /^[\x21-\x7e]+$/;

export class PutProviderCredentialCommand {
  private constructor(
    readonly principal: ChatPrincipal,
    readonly kind: ProviderKind,
    /** Absent: keep the stored key. */
    readonly apiKey: string | null,
    /** Null: the provider's public API. */
    readonly baseUrl: string | null,
    readonly model: string,
    readonly priority: number,
  ) {}

  static create(principal: ChatPrincipal, kind: string, input: unknown): PutProviderCredentialCommand {
    const body = parseInput(putChatProviderBodySchema, input, 'body');
    const apiKey = body.apiKey === undefined ? null : body.apiKey.trim();
    if (apiKey !== null && !API_KEY.test(apiKey)) {
      throw new DomainException(
        ErrorCode.ValidationFailed,
        'apiKey must be printable ASCII without spaces or control characters',
      );
    }
    const model = body.model.trim();
    if (!model) throw new DomainException(ErrorCode.ValidationFailed, 'model must not be blank');
    return new PutProviderCredentialCommand(
      principal,
      providerKind(kind),
      apiKey,
      body.baseUrl ? baseUrl(body.baseUrl) : null,
      model,
      body.priority ?? 0,
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
