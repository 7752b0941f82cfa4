import { Module } from '@nestjs/common';
import { TokenCounter } from './token-counter';
import { UsagePricer } from './usage-pricer';

/** What usage costs (the versioned price table) and token counting (gpt-tokenizer). */
@Module({ providers: [TokenCounter, UsagePricer], exports: [TokenCounter, UsagePricer] })
export class AccountingModule {}
