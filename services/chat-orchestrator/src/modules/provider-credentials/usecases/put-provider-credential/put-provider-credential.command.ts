import { parseInput, parseUpstreamKeyInput, putChatProviderBodySchema } from '@parley/contracts';
import type { ChatPrincipal } from '../../../principal/chat-principal';
import type { ProviderKind } from '../../../providers/llm-provider';
import { providerKind } from '../../provider-credential';

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
    const { apiKey, baseUrl, model } = parseUpstreamKeyInput(body);
    return new PutProviderCredentialCommand(principal, providerKind(kind), apiKey, baseUrl, model, body.priority ?? 0);
  }
}
