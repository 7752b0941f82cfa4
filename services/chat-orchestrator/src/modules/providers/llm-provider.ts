import { PROVIDER_KINDS } from '@parley/contracts';
import type { EgressPolicy } from '@parley/config';
/**
 * The one interface every LLM provider adapter implements. An adapter speaks one provider's real
 * HTTP protocol (Anthropic Messages, OpenAI Chat Completions) with streaming, and knows nothing of
 * who is on the other end (a provider, a proxy, the test simulator).
 */
export { PROVIDER_KINDS };
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** Where one attempt goes: a provider protocol at a base URL with a key and a model. */
export interface ProviderTarget {
  kind: ProviderKind;
  /** e.g. https://api.anthropic.com, https://api.openai.com/v1, http://127.0.0.1:11434/v1 (Ollama). */
  baseUrl: string;
  /** Never logged; absent for servers that need none (Ollama, llama.cpp). */
  apiKey?: string;
  model: string;
  /** Shown in logs, events and stored messages: `global:anthropic`, `tenant:openai`, … */
  label: string;
  /** A tenant-supplied address: connect only as this policy allows (absent for the operator's own). */
  egress?: EgressPolicy;
}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  /** Kept whatever the context budget (sent as Anthropic `system`, OpenAI first `system` message). */
  system: string | null;
  /** Oldest first; already trimmed to the context budget; the last one is the user's prompt. */
  messages: ChatTurn[];
  maxTokens: number;
  temperature?: number;
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_use' | 'other';

/** What an adapter yields, in order: one `start`, any `delta`s and `usage`s, then one `finish`. */
export type ProviderEvent =
  | { type: 'start'; model: string; providerMessageId: string | null }
  | { type: 'delta'; text: string }
  /** Counts as the provider reports them; a later report overrides the fields it carries. */
  | { type: 'usage'; inputTokens?: number; outputTokens?: number }
  | { type: 'finish'; reason: FinishReason };

/**
 * The `usage` event for the counts a provider reported (either may be missing or malformed: only
 * finite numbers count), or null when it reported neither.
 */
export function usageEvent(inputTokens: unknown, outputTokens: unknown): ProviderEvent | null {
  const input = finite(inputTokens);
  const output = finite(outputTokens);
  if (input === undefined && output === undefined) return null;
  return {
    type: 'usage',
    ...(input !== undefined ? { inputTokens: input } : {}),
    ...(output !== undefined ? { outputTokens: output } : {}),
  };
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export type ProviderErrorKind =
  | 'rate_limited' // 429
  | 'overloaded' // 529 (Anthropic), 503
  | 'server_error' // other 5xx
  | 'bad_request' // 400, 404, 413, 422: this request will never work here
  | 'auth' // 401, 403
  | 'timeout' // no answer / no chunk within the deadline
  | 'network' // refused, reset, DNS
  | 'stream_interrupted' // the stream ended or broke before its end event
  | 'protocol'; // the answer did not follow the protocol

/** A failed attempt. `retryable`: another attempt (same or next target) may work. */
export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly options: { status?: number; retryAfterMs?: number; providerCode?: string } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  get retryable(): boolean {
    return ['rate_limited', 'overloaded', 'server_error', 'timeout', 'network', 'stream_interrupted'].includes(
      this.kind,
    );
  }
}

export interface LlmProvider {
  readonly kind: ProviderKind;
  /**
   * Streams one completion. Throws (or the iterator throws) a ProviderError. Aborting `signal`
   * aborts the upstream HTTP request at once; the iterator then ends with an AbortError.
   */
  stream(target: ProviderTarget, request: CompletionRequest, signal: AbortSignal): AsyncIterable<ProviderEvent>;
}
