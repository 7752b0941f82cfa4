import { parseInput, parseUpstreamKeyInput, putSttUpstreamBodySchema, type SttUpstreamKind } from '@parley/contracts';
import type { SttPrincipal } from '../../../principal/stt-principal';
import { upstreamKind } from '../../stt-upstream';

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
    const { apiKey, baseUrl, model } = parseUpstreamKeyInput(parseInput(putSttUpstreamBodySchema, input, 'body'));
    return new PutSttUpstreamCommand(principal, upstreamKind(kind), apiKey, baseUrl, model);
  }
}
