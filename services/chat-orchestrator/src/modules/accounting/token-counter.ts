import { Injectable, type OnModuleInit } from '@nestjs/common';
import { countTokens } from 'gpt-tokenizer';

const CACHE_SIZE = 20_000;
/** Text such as `<|endoftext|>` is counted as plain text (by default the tokenizer throws on it). */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * Token counts with gpt-tokenizer (o200k_base, the GPT-4o/4.1 encoding): exact for OpenAI's current
 * models, an estimate for others (Anthropic's tokenizer is not public). Used to fit history into
 * the context budget and to estimate usage a provider did not report.
 *
 * Stored messages never change once complete, so their counts are cached by message id (LRU).
 * A token is at least one UTF-8 byte, so `byteBound` is a free upper bound that spares the
 * tokenizer whenever a whole prompt is known to fit.
 */
@Injectable()
export class TokenCounter implements OnModuleInit {
  private readonly cache = new Map<string, number>();

  onModuleInit(): void {
    countTokens('warm up the encoder tables'); // the first call loads them (~100 ms): not on a request
  }

  count(text: string): number {
    return text.length === 0 ? 0 : countTokens(text, PLAIN_TEXT);
  }

  /** The count of a stored message's text, remembered by its id. */
  countStored(id: string, text: string): number {
    const cached = this.cache.get(id);
    if (cached !== undefined) {
      this.cache.delete(id); // refresh its place in the LRU order
      this.cache.set(id, cached);
      return cached;
    }
    const tokens = this.count(text);
    this.cache.set(id, tokens);
    if (this.cache.size > CACHE_SIZE) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return tokens;
  }

  /** An upper bound of the token count without tokenizing: every token is at least one byte. */
  static byteBound(text: string): number {
    return Buffer.byteLength(text, 'utf8');
  }
}
