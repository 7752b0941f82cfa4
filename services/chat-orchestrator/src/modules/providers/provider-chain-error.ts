import { ProviderError } from './llm-provider';

/**
 * What `ProviderChain.stream` throws when it gives up: the last attempt's error (same `kind`,
 * `options`, `retryable`), with the targets tried. `partial`: text was already yielded (the
 * failure came after the first delta, nothing was retried); otherwise no text was yielded.
 */
export class ProviderChainError extends ProviderError {
  constructor(
    readonly last: ProviderError,
    /** Labels of the targets tried, in order. */
    readonly tried: string[],
    readonly partial: boolean,
  ) {
    super(
      last.kind,
      partial
        ? `${tried.at(-1) ?? 'provider'} failed mid-answer: ${last.message}`
        : `no provider answered (tried ${tried.join(', ') || 'none'}): ${last.message}`,
      last.options,
    );
    this.name = 'ProviderChainError';
  }
}
