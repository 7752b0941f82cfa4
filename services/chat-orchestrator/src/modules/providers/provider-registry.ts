import { Injectable } from '@nestjs/common';
import { AnthropicProvider } from './anthropic.provider';
import type { LlmProvider, ProviderKind } from './llm-provider';
import { OpenAiProvider } from './openai.provider';

/** The adapter for each provider protocol. */
@Injectable()
export class ProviderRegistry {
  private readonly byKind: Record<ProviderKind, LlmProvider>;

  constructor(anthropic: AnthropicProvider, openai: OpenAiProvider) {
    this.byKind = { anthropic, openai };
  }

  get(kind: ProviderKind): LlmProvider {
    return this.byKind[kind];
  }
}
