import { Injectable } from '@nestjs/common';
import {
  ProviderError,
  type CompletionRequest,
  type FinishReason,
  type LlmProvider,
  type ProviderEvent,
  type ProviderTarget,
  usageEvent,
} from './llm-provider';
import { errorForStreamEvent } from './provider-errors';
import { ProviderHttp } from './provider-http';

export const ANTHROPIC_VERSION = '2023-06-01';

interface AnthropicEvent {
  type?: string;
  message?: { id?: string; model?: string; usage?: { input_tokens?: number; output_tokens?: number } };
  delta?: { type?: string; text?: string; stop_reason?: string | null };
  usage?: { input_tokens?: number; output_tokens?: number };
}

export function anthropicFinishReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason ?? '') {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
      return 'length';
    case 'tool_use':
      return 'tool_use';
    case 'refusal':
      return 'content_filter';
    default:
      return 'other';
  }
}

/**
 * Anthropic Messages API, streamed: POST {baseUrl}/v1/messages with `x-api-key` and
 * `anthropic-version: 2023-06-01`. message_start → start (+ usage input), text_delta → delta,
 * message_delta → usage output (and the stop reason), message_stop → finish; `event: error` →
 * ProviderError of the mapped kind; an end without message_stop → stream_interrupted.
 */
@Injectable()
export class AnthropicProvider implements LlmProvider {
  readonly kind = 'anthropic' as const;

  constructor(private readonly http: ProviderHttp) {}

  async *stream(
    target: ProviderTarget,
    request: CompletionRequest,
    signal: AbortSignal,
  ): AsyncGenerator<ProviderEvent> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'anthropic-version': ANTHROPIC_VERSION,
    };
    if (target.apiKey) headers['x-api-key'] = target.apiKey;
    const body = JSON.stringify({
      model: target.model,
      max_tokens: request.maxTokens,
      ...(request.system ? { system: request.system } : {}),
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      stream: true,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    });
    const stream = await this.http.openSse({
      provider: 'anthropic',
      url: `${target.baseUrl.replace(/\/+$/, '')}/v1/messages`,
      headers,
      body,
      signal,
      apiKey: target.apiKey,
      egress: target.egress,
    });
    let done = false;
    try {
      let started = false;
      let stopReason: string | null | undefined;
      for await (const sse of stream.events()) {
        if (sse.type === 'error') throw errorForStreamEvent('anthropic', sse.data, target.apiKey);
        if (sse.type === 'ping') continue;
        let event: AnthropicEvent;
        try {
          event = JSON.parse(sse.data) as AnthropicEvent;
        } catch {
          throw new ProviderError('protocol', `anthropic sent an event that is not JSON (${sse.type})`);
        }
        switch (event.type ?? '') {
          case 'message_start': {
            started = true;
            yield {
              type: 'start',
              model: event.message?.model ?? target.model,
              providerMessageId: event.message?.id ?? null,
            };
            const usage = usageEvent(event.message?.usage?.input_tokens, undefined);
            if (usage) yield usage;
            break;
          }
          case 'content_block_delta':
            if (event.delta?.type === 'text_delta' && event.delta.text) yield { type: 'delta', text: event.delta.text };
            break;
          case 'message_delta': {
            stopReason = event.delta?.stop_reason ?? stopReason;
            const usage = usageEvent(event.usage?.input_tokens, event.usage?.output_tokens);
            if (usage) yield usage;
            break;
          }
          case 'message_stop':
            if (!started) throw new ProviderError('protocol', 'anthropic sent message_stop before message_start');
            done = true;
            await stream.finish();
            yield { type: 'finish', reason: anthropicFinishReason(stopReason) };
            return;
          default:
            break; // content_block_start/stop, thinking or tool deltas, unknown future events
        }
      }
      throw new ProviderError('stream_interrupted', 'anthropic stream ended before message_stop');
    } finally {
      if (!done) stream.destroy();
    }
  }
}
