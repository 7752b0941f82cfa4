import { describe, expect, it } from 'vitest';
import { costMicros, PRICE_TABLE, priceOf, type PriceTable } from './price-table';

describe('price table', () => {
  it('is versioned as a date', () => {
    expect(PRICE_TABLE.version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('stores prices as whole micro-USD per million tokens', () => {
    expect(priceOf(PRICE_TABLE, 'anthropic', 'claude-sonnet-4-5')).toEqual({
      inputMicrosPerMillion: 3_000_000,
      outputMicrosPerMillion: 15_000_000,
    });
    expect(priceOf(PRICE_TABLE, 'openai', 'gpt-4.1-mini')).toEqual({
      inputMicrosPerMillion: 400_000,
      outputMicrosPerMillion: 1_600_000,
    });
    for (const models of Object.values(PRICE_TABLE.models)) {
      for (const price of Object.values(models)) {
        expect(Number.isInteger(price.inputMicrosPerMillion) && Number.isInteger(price.outputMicrosPerMillion)).toBe(
          true,
        );
      }
    }
  });

  it('prices a dated snapshot at its family, the longest listed prefix winning', () => {
    expect(priceOf(PRICE_TABLE, 'anthropic', 'claude-sonnet-4-5-20250929')).toEqual(
      priceOf(PRICE_TABLE, 'anthropic', 'claude-sonnet-4-5'),
    );
    // gpt-4.1-mini-… must not take the gpt-4.1 price.
    expect(priceOf(PRICE_TABLE, 'openai', 'gpt-4.1-mini-2025-04-14')).toEqual(
      priceOf(PRICE_TABLE, 'openai', 'gpt-4.1-mini'),
    );
  });

  it('knows no price for an unlisted model, or for a listed name of another provider', () => {
    expect(priceOf(PRICE_TABLE, 'openai', 'llama3.1:8b')).toBeNull();
    expect(priceOf(PRICE_TABLE, 'openai', 'claude-sonnet-4-5')).toBeNull();
    expect(priceOf(PRICE_TABLE, 'anthropic', 'claude-instant-1')).toBeNull();
  });
});

describe('costMicros', () => {
  const sonnet = { inputMicrosPerMillion: 3_000_000, outputMicrosPerMillion: 15_000_000 };

  it('multiplies tokens by the price per million', () => {
    // 1,000 in × $3/M = $0.003 = 3,000 µ$; 500 out × $15/M = $0.0075 = 7,500 µ$.
    expect(costMicros(sonnet, 1000, 500)).toBe(10_500);
    expect(costMicros(sonnet, 1_000_000, 1_000_000)).toBe(18_000_000);
    expect(costMicros(sonnet, 0, 0)).toBe(0);
  });

  it('rounds the total half up to a whole micro-USD, once', () => {
    const cheap = { inputMicrosPerMillion: 100_000, outputMicrosPerMillion: 400_000 }; // $0.10 / $0.40
    expect(costMicros(cheap, 4, 0)).toBe(0); // 0.4 µ$
    expect(costMicros(cheap, 5, 0)).toBe(1); // 0.5 µ$ rounds up
    expect(costMicros(cheap, 3, 1)).toBe(1); // 0.3 + 0.4 = 0.7 µ$ (rounding each part would give 0)
    expect(costMicros(cheap, 14, 0)).toBe(1); // 1.4 µ$
    expect(costMicros(cheap, 15, 0)).toBe(2); // 1.5 µ$
  });

  it('stays exact for counts whose product exceeds 2^53', () => {
    const opus = { inputMicrosPerMillion: 15_000_000, outputMicrosPerMillion: 75_000_000 };
    // 2,000,000,000 × 75,000,000 = 1.5e17 > 2^53: $150,000 exactly.
    expect(costMicros(opus, 0, 2_000_000_000)).toBe(150_000_000_000);
    expect(costMicros(opus, 1_999_999_999, 0)).toBe(29_999_999_985);
  });

  it('applies to a custom table the same way', () => {
    const table: PriceTable = {
      version: 'test',
      models: { anthropic: {}, openai: { 'my-model': { inputMicrosPerMillion: 1, outputMicrosPerMillion: 3 } } },
    };
    const price = priceOf(table, 'openai', 'my-model');
    expect(price && costMicros(price, 250_000, 250_000)).toBe(1); // 0.25 + 0.75 = 1 µ$
  });
});
