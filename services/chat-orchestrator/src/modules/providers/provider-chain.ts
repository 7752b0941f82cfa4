import { setTimeout as sleep } from 'node:timers/promises';
import type { GenAiMetrics } from '@parley/observability';
import { GenAiCall, type GenAiCallOptions } from './gen-ai-telemetry';
import { ProviderError, type CompletionRequest, type ProviderEvent, type ProviderTarget } from './llm-provider';
import { ProviderChainError } from './provider-chain-error';
import { abortError } from './provider-errors';
import type { ProviderRegistry } from './provider-registry';

export interface ProviderChainOptions {
  /** Retries of a retryable failure on the same target, before falling back to the next. */
  maxRetries: number;
  /** Backoff: min(maxMs, baseMs·2^(retry-1)), of which a random half ("equal jitter"). */
  baseMs: number;
  /** The longest wait before a retry; a provider asking for longer (retry-after) is skipped. */
  maxMs: number;
  /** No first text delta within this (from the start of an attempt) → `timeout` (retryable). */
  firstTokenTimeoutMs: number;
  /** After the first delta, no event for this long → `timeout`. */
  idleTimeoutMs: number;
}

/** Emitted before every attempt (`error`: null for the very first, else what made it necessary). */
export interface AttemptEvent {
  type: 'attempt';
  /** A copy of the target without its `apiKey`, safe to log; `label` names it. */
  target: ProviderTarget;
  /** 1 for the first attempt on this target, 2 for its first retry, … */
  attempt: number;
  error: ProviderError | null;
}

export type ChainEvent = ProviderEvent | AttemptEvent;

type AttemptOutcome = { error: ProviderError; partial: boolean } | null;

function withoutKey(target: ProviderTarget): ProviderTarget {
  const { apiKey: _apiKey, ...rest } = target;
  return rest;
}

/**
 * Streams one completion over an ordered list of targets with retries, fallback and timeouts.
 *
 * Yields `attempt` events, then the successful attempt's provider events in order: `start`,
 * `usage`… (held back until the first `delta`, so a failed attempt leaks nothing), `delta`s,
 * `usage`s, `finish`. Before the first delta, a retryable error is retried on the same target
 * (up to `maxRetries`, after backoff or the provider's retry-after), then the next target is
 * tried; a non-retryable one (auth, bad_request, protocol) goes to the next target at once.
 * After the first delta nothing is retried: a ProviderChainError with `partial: true` is thrown
 * and the caller keeps the text it got. When every target failed, a ProviderChainError with the
 * last error is thrown. Aborting `signal` ends everything at once with an AbortError.
 */
export class ProviderChain {
  constructor(
    private readonly registry: ProviderRegistry,
    readonly options: ProviderChainOptions,
    /** The gen_ai_client_* histograms (absent in tests that build a chain by hand). */
    private readonly metrics: GenAiMetrics | null = null,
  ) {}

  async *stream(
    targets: ProviderTarget[],
    request: CompletionRequest,
    signal: AbortSignal,
    telemetry: GenAiCallOptions = { recordContent: false },
  ): AsyncGenerator<ChainEvent> {
    const tried: string[] = [];
    let last: ProviderError | null = null;
    for (const target of targets) {
      tried.push(target.label);
      for (let attempt = 1; ; attempt++) {
        if (signal.aborted) throw abortError(signal);
        yield { type: 'attempt', target: withoutKey(target), attempt, error: last };
        const call = new GenAiCall(target, request, telemetry, this.metrics, attempt);
        const outcome = yield* this.attempt(target, request, signal, call);
        if (outcome === null) return;
        last = outcome.error;
        if (outcome.partial) throw new ProviderChainError(last, tried, true);
        if (!last.retryable || attempt > this.options.maxRetries) break;
        const delay = this.retryDelay(last, attempt);
        if (delay === null) break;
        if (delay > 0) await sleep(delay, undefined, { signal }).catch(() => undefined);
      }
    }
    if (signal.aborted) throw abortError(signal);
    throw new ProviderChainError(last ?? new ProviderError('bad_request', 'no provider target to try'), tried, false);
  }

  /** The wait before retry number `attempt` (1-based), or null to move on to the next target. */
  retryDelay(error: ProviderError, attempt: number): number | null {
    const { baseMs, maxMs } = this.options;
    const asked = error.options.retryAfterMs;
    if (asked !== undefined) return asked > maxMs ? null : asked;
    const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  /** One attempt on one target (one gen_ai call); returns null on success, or the failure. */
  private async *attempt(
    target: ProviderTarget,
    request: CompletionRequest,
    signal: AbortSignal,
    call: GenAiCall,
  ): AsyncGenerator<ChainEvent, AttemptOutcome> {
    const { firstTokenTimeoutMs, idleTimeoutMs } = this.options;
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const state = { timedOut: null as ProviderError | null, waiting: true, streaming: false, ended: false };
    const expire = (message: string) => {
      if (!state.waiting || state.timedOut) return;
      state.timedOut = new ProviderError('timeout', `${target.label}: ${message}`);
      controller.abort(state.timedOut);
    };
    let timer = setTimeout(() => expire(`no first token within ${firstTokenTimeoutMs} ms`), firstTokenTimeoutMs);
    const held: ProviderEvent[] = [];
    const iterator = this.registry.get(target.kind).stream(target, request, controller.signal)[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await call.run(() => iterator.next());
        if (next.done) break;
        const event = next.value;
        call.observe(event);
        if (!state.streaming && event.type !== 'delta' && event.type !== 'finish') {
          held.push(event);
          continue;
        }
        if (!state.streaming && event.type === 'delta') {
          state.streaming = true;
          clearTimeout(timer);
          timer = setTimeout(() => expire(`no chunk for ${idleTimeoutMs} ms`), idleTimeoutMs);
        }
        state.waiting = false;
        while (held.length > 0) yield held.shift() as ProviderEvent;
        yield event;
        state.waiting = true;
        timer.refresh();
      }
      state.ended = true;
      call.end(null);
      return null;
    } catch (error) {
      state.ended = true;
      if (state.timedOut) {
        call.end(state.timedOut);
        return { error: state.timedOut, partial: state.streaming };
      }
      if (signal.aborted) {
        call.end(null, true);
        throw abortError(signal);
      }
      const failure =
        error instanceof ProviderError
          ? error
          : new ProviderError('protocol', `${target.label}: ${error instanceof Error ? error.message : String(error)}`);
      call.end(failure);
      return { error: failure, partial: state.streaming };
    } finally {
      call.end(null, true); // the consumer stopped reading (no-op when the call already ended)
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (!state.ended) {
        // The consumer stopped reading: drop the upstream request now.
        controller.abort(abortError(signal));
        await iterator.return?.(undefined);
      }
    }
  }
}
