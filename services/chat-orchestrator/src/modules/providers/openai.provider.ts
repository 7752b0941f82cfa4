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

interface OpenAiChunk {
  id?: string;
  model?: string;
  error?: unknown;
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

export function openAiFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason ?? '') {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    default:
      return 'other';
  }
}

/**
 * OpenAI Chat Completions, streamed (also OpenRouter, Azure OpenAI, Ollama, vLLM, llama.cpp):
 * POST {baseUrl}/chat/completions with `Authorization: Bearer` (omitted without a key),
 * `stream_options.include_usage`. First chunk → start, content → delta, finish_reason is kept,
 * a `usage` object → usage, `[DONE]` → finish; a `{"error":…}` chunk → ProviderError; an end
 * without `[DONE]` → stream_interrupted.
 */
@Injectable()
export class OpenAiProvider implements LlmProvider {
  readonly kind = 'openai' as const;

  constructor(private readonly http: ProviderHttp) {}

  async *stream(
    target: ProviderTarget,
    request: CompletionRequest,
    signal: AbortSignal,
  ): AsyncGenerator<ProviderEvent> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
    const messages = request.system ? [{ role: 'system', content: request.system }] : [];
    for (const m of request.messages) messages.push({ role: m.role, content: m.content });
    const body = JSON.stringify({
      model: target.model,
      messages,
      max_tokens: request.maxTokens,
      stream: true,
      stream_options: { include_usage: true },
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    });
    const stream = await this.http.openSse({
      provider: 'openai',
      url: `${target.baseUrl.replace(/\/+$/, '')}/chat/completions`,
      headers,
      body,
      signal,
      apiKey: target.apiKey,
      egress: target.egress,
    });
    let done = false;
    try {
      let started = false;
      let finishReason: string | null | undefined;
      for await (const sse of stream.events()) {
        if (sse.data === '[DONE]') {
          if (!started) throw new ProviderError('protocol', 'openai sent [DONE] before any chunk');
          done = true;
          await stream.finish();
          yield { type: 'finish', reason: openAiFinishReason(finishReason) };
          return;
        }
        let chunk: OpenAiChunk;
        try {
          chunk = JSON.parse(sse.data) as OpenAiChunk;
        } catch {
          throw new ProviderError('protocol', 'openai sent a chunk that is not JSON');
        }
        if (chunk.error !== undefined && chunk.error !== null) {
          throw errorForStreamEvent('openai', sse.data, target.apiKey);
        }
        if (!started) {
          started = true;
          yield { type: 'start', model: chunk.model ?? target.model, providerMessageId: chunk.id ?? null };
        }
        const choice = chunk.choices?.[0];
        const text = choice?.delta?.content;
        if (typeof text === 'string' && text.length > 0) yield { type: 'delta', text };
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        const usage = chunk.usage ? usageEvent(chunk.usage.prompt_tokens, chunk.usage.completion_tokens) : null;
        if (usage) yield usage;
      }
      throw new ProviderError('stream_interrupted', 'openai stream ended before [DONE]');
    } finally {
      if (!done) stream.destroy();
    }
  }
}
