import { describe, expect, it } from 'vitest';
import { costMicros, highestPrice, PRICE_TABLE, priceOf, worstCaseCostMicros, type PriceTable } from './price-table';

describe('the worst-case cost of a chat answer (the strict budget cap reserves it)', () => {
  const table: PriceTable = {
    version: 'test',
    models: {
      anthropic: {
        cheap: { inputMicrosPerMillion: 1_000_000, outputMicrosPerMillion: 90_000_000 },
        dear: { inputMicrosPerMillion: 20_000_000, outputMicrosPerMillion: 40_000_000 },
      },
      openai: { mid: { inputMicrosPerMillion: 5_000_000, outputMicrosPerMillion: 10_000_000 } },
    },
  };

  it('takes the dearest input and the dearest output price, even from different models', () => {
    expect(highestPrice(table)).toEqual({ inputMicrosPerMillion: 20_000_000, outputMicrosPerMillion: 90_000_000 });
  });

  it('is the whole context budget in and max_tokens out at those prices', () => {
    // 8000 × $20/M + 1024 × $90/M = 160 000 + 92 160 micro-USD
    expect(worstCaseCostMicros(table, 8000, 1024)).toBe(252_160);
  });

  it('is never below what the accounting charges any listed model for a usage within the bounds', () => {
    const bound = worstCaseCostMicros(PRICE_TABLE, 8000, 1024);
    for (const kind of ['anthropic', 'openai'] as const) {
      for (const model of Object.keys(PRICE_TABLE.models[kind])) {
        const price = priceOf(PRICE_TABLE, kind, model);
        if (!price) throw new Error(`${model} has no price`);
        for (const [input, output] of [
          [8000, 1024],
          [8000, 0],
          [0, 1024],
          [1, 1],
        ] as const) {
          expect(costMicros(price, input, output)).toBeLessThanOrEqual(bound);
        }
      }
    }
  });

  it("is today's table's opus 4.1 list prices ($15 in, $75 out per million) for the default bounds", () => {
    expect(worstCaseCostMicros(PRICE_TABLE, 8000, 1024)).toBe(8000 * 15 + 1024 * 75);
  });

  it('is 0 for an empty table (nothing can be charged)', () => {
    expect(worstCaseCostMicros({ version: 'x', models: { anthropic: {}, openai: {} } }, 8000, 1024)).toBe(0);
  });
});
