import type { ProviderKind } from '../providers/llm-provider';

/** Prices of one model: micro-USD (millionths of a dollar) per million tokens. */
export interface ModelPrice {
  inputMicrosPerMillion: number;
  outputMicrosPerMillion: number;
}

export interface PriceTable {
  /** Recorded with every cost (`price_table_version`, events), so a cost can be recomputed later. */
  version: string;
  /** Provider kind → model name (or a model family prefix, see `priceOf`) → price. */
  models: Readonly<Record<ProviderKind, Readonly<Record<string, ModelPrice>>>>;
}

const usd = (dollarsPerMillion: number): number => Math.round(dollarsPerMillion * 1_000_000);
const price = (input: number, output: number): ModelPrice => ({
  inputMicrosPerMillion: usd(input),
  outputMicrosPerMillion: usd(output),
});

/**
 * The list prices (USD per million tokens, standard tier, no caching or batch discounts) the
 * orchestrator charges usage at. A price change is a new table with a new version, never an edit of
 * a published one: stored messages and events name the version they were priced with.
 */
export const PRICE_TABLE: PriceTable = {
  version: '2026-11-01',
  models: {
    anthropic: {
      'claude-opus-4-5': price(5, 25),
      'claude-opus-4-1': price(15, 75),
      'claude-opus-4': price(15, 75),
      'claude-sonnet-4-5': price(3, 15),
      'claude-sonnet-4': price(3, 15),
      'claude-3-7-sonnet': price(3, 15),
      'claude-haiku-4-5': price(1, 5),
      'claude-3-5-haiku': price(0.8, 4),
      'claude-3-haiku': price(0.25, 1.25),
    },
    openai: {
      'gpt-5': price(1.25, 10),
      'gpt-5-mini': price(0.25, 2),
      'gpt-5-nano': price(0.05, 0.4),
      'gpt-4.1': price(2, 8),
      'gpt-4.1-mini': price(0.4, 1.6),
      'gpt-4.1-nano': price(0.1, 0.4),
      'gpt-4o': price(2.5, 10),
      'gpt-4o-mini': price(0.15, 0.6),
      o3: price(2, 8),
      'o4-mini': price(1.1, 4.4),
    },
  },
};

/**
 * The price of a model: its exact name, else the longest listed name it starts with followed by `-`
 * (dated snapshots such as `claude-sonnet-4-5-20250929` or `gpt-4.1-mini-2025-04-14` take their
 * family's price). Null when the model is not listed.
 */
export function priceOf(table: PriceTable, kind: ProviderKind, model: string): ModelPrice | null {
  const models = table.models[kind];
  const exact = models[model];
  if (exact) return exact;
  let best: string | null = null;
  for (const name of Object.keys(models)) {
    if (model.startsWith(`${name}-`) && (best === null || name.length > best.length)) best = name;
  }
  return best === null ? null : (models[best] ?? null);
}

/**
 * Cost in micro-USD of a usage at a price: exact integer arithmetic (BigInt, so large counts never
 * lose precision), rounded half up to a whole micro-USD once, on the total.
 */
export function costMicros(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  const scaled =
    BigInt(inputTokens) * BigInt(price.inputMicrosPerMillion) +
    BigInt(outputTokens) * BigInt(price.outputMicrosPerMillion);
  return Number((scaled + 500_000n) / 1_000_000n);
}

/**
 * The dearest input and output prices in the table, each on its own: no answer can be charged
 * more per token (a model the table does not list is charged 0).
 */
export function highestPrice(table: PriceTable): ModelPrice {
  let inputMicrosPerMillion = 0;
  let outputMicrosPerMillion = 0;
  for (const models of Object.values(table.models)) {
    for (const price of Object.values(models)) {
      inputMicrosPerMillion = Math.max(inputMicrosPerMillion, price.inputMicrosPerMillion);
      outputMicrosPerMillion = Math.max(outputMicrosPerMillion, price.outputMicrosPerMillion);
    }
  }
  return { inputMicrosPerMillion, outputMicrosPerMillion };
}

/**
 * The most one chat answer can cost, what the strict budget cap reserves at admission. Admission
 * runs before the history is read and the provider is chosen (they are on the time-to-first-token
 * path, after it), so it bounds both: the prompt sent is at most the context budget
 * (`fitContext` keeps it within), the answer at most `maxOutputTokens` (the request's
 * `max_tokens`), and either is charged at most at the table's dearest price. The same integer
 * arithmetic as the accounting's `costMicros`, so a real cost never exceeds it.
 */
export function worstCaseCostMicros(table: PriceTable, contextBudgetTokens: number, maxOutputTokens: number): number {
  return costMicros(highestPrice(table), contextBudgetTokens, maxOutputTokens);
}
