import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import type { ProviderKind } from '../providers/llm-provider';
import { costMicros, PRICE_TABLE, priceOf, type PriceTable } from './price-table';

export interface PricedUsage {
  costMicros: number;
  priceTableVersion: string;
}

/** Prices token usage with the current price table; an unlisted model costs 0 and is logged once. */
@Injectable()
export class UsagePricer {
  private readonly table: PriceTable = PRICE_TABLE;
  private readonly unlisted = new Set<string>();

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  get version(): string {
    return this.table.version;
  }

  /**
   * `models`: the names to try in order (the model the provider reported, then the one asked for),
   * the first listed one prices the usage.
   */
  price(kind: ProviderKind, models: string[], inputTokens: number, outputTokens: number): PricedUsage {
    for (const model of models) {
      const price = priceOf(this.table, kind, model);
      if (price) {
        return { costMicros: costMicros(price, inputTokens, outputTokens), priceTableVersion: this.table.version };
      }
    }
    const key = `${kind}:${models[0] ?? ''}`;
    if (!this.unlisted.has(key)) {
      this.unlisted.add(key);
      this.logger.warn(
        { provider: kind, model: models[0], priceTableVersion: this.table.version },
        'Model not in the price table: its usage is recorded at cost 0',
      );
    }
    return { costMicros: 0, priceTableVersion: this.table.version };
  }
}
