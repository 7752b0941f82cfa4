import { describe, expect, it } from 'vitest';
import { SPEECH_PRICE_TABLE, speechCostMicros, speechPriceOf } from './speech-price-table';

describe('the speech price table', () => {
  it('prices a model by its exact name, else by its longest listed family; the tenant’s own upstream alike', () => {
    expect(speechPriceOf(SPEECH_PRICE_TABLE, 'openai-compatible', 'whisper-1')).toBe(360_000);
    expect(speechPriceOf(SPEECH_PRICE_TABLE, 'openai-compatible:tenant', 'whisper-1')).toBe(360_000);
    expect(speechPriceOf(SPEECH_PRICE_TABLE, 'openai-compatible', 'whisper-large-v3-turbo')).toBe(40_000);
    expect(speechPriceOf(SPEECH_PRICE_TABLE, 'deepgram', 'nova-3-general')).toBe(462_000);
  });

  it('charges nothing for the embedded engine, an unlisted model or an unknown provider', () => {
    expect(speechPriceOf(SPEECH_PRICE_TABLE, 'faster-whisper', 'whisper-base')).toBe(0);
    expect(speechPriceOf(SPEECH_PRICE_TABLE, 'openai-compatible', 'my-own-whisper')).toBe(0);
    expect(speechPriceOf(SPEECH_PRICE_TABLE, 'someone-else', 'whisper-1')).toBe(0);
  });

  it('costs seconds at the hourly price, rounded once to a whole micro-USD', () => {
    expect(speechCostMicros(360_000, 60)).toBe(6_000); // a minute of whisper-1: $0.006
    expect(speechCostMicros(360_000, 2.5)).toBe(250);
    expect(speechCostMicros(111_000, 1)).toBe(31); // 30.83…
    expect(speechCostMicros(0, 3600)).toBe(0);
  });
});
